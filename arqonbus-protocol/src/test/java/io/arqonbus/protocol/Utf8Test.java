package io.arqonbus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c3a9", "e4b8ad", "f09f9880", "efbfbf", "f48fbfbf", "c280", "e0a080", "f0908080",
        "ed9fbf", "ee8080"})
    void wellFormed(String hex) {
        byte[] b = hex(hex);
        assertThat(Utf8.isValid(b, 0, b.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c0a2", "c180", "e08080", "e09fbf", "f0808080", "f08fbfbf", // overlong
        "eda080", "edbfbf", // encoded surrogates
        "f4908080", "f5808080", "ff", "fe", // past U+10FFFF, never used
        "80", "bf", "c3", "e4b8", "f09f98", "c341", "e441ad", // stray or short continuations
    })
    void illFormed(String hex) {
        byte[] b = hex(hex);
        assertThat(Utf8.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void onlyTheRangeIsChecked() {
        byte[] b = hex("ff 41 c3a9 ff");
        assertThat(Utf8.isValid(b, 1, 4)).isTrue();
        assertThat(Utf8.isValid(b, 1, 3)).isFalse();
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            random.nextBytes(b);
            assertThat(Utf8.isValid(b, 0, b.length)).as(HexFormat.of().formatHex(b)).isEqualTo(jdkAccepts(b));
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
