package io.arqonbus.cli.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import org.junit.jupiter.api.Test;

class PythonJsonTest {
    private static final String SAMPLE =
            "{\"z\":1,\"a\":{\"y\":[1,2,{\"k\":null}],\"b\":true},\"e\":{},\"l\":[],\"s\":\"caf\u00e9 \\\"q\\\"\"}";

    @Test
    void compactSortsKeysAndUsesPythonSeparators() {
        // json.dumps(obj, sort_keys=True)
        assertThat(PythonJson.compact(TestClient.parse(SAMPLE)))
                .isEqualTo("{\"a\": {\"b\": true, \"y\": [1, 2, {\"k\": null}]}, \"e\": {}, \"l\": [], "
                        + "\"s\": \"caf\\u00e9 \\\"q\\\"\", \"z\": 1}");
    }

    @Test
    void indentedMatchesPythonIndentTwo() {
        // json.dumps(obj, indent=2, sort_keys=True)
        assertThat(PythonJson.indented(TestClient.parse(SAMPLE))).isEqualTo("""
                {
                  "a": {
                    "b": true,
                    "y": [
                      1,
                      2,
                      {
                        "k": null
                      }
                    ]
                  },
                  "e": {},
                  "l": [],
                  "s": "caf\\u00e9 \\"q\\"",
                  "z": 1
                }""");
    }
}
