package io.arqonbus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.internal.config.Setting;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void withoutAClusterUrlTheServerIsASingleNodeWithItsOwnStore() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.cluster().enabled()).isFalse();
        assertThat(config.storage().redis()).isNull();
        assertThat(config.cluster().nodeId()).matches("node-[0-9a-f]{8}");
    }

    @Test
    void aClusterUrlMakesANodeWhoseHistoryIsRedisStreamsOnTheClustersRedis() {
        ServerConfig.Builder builder = ServerConfig.builder();
        Setting.CLUSTER_URL.apply(builder, "redis://127.0.0.1:6390/2", "ARQONBUS_CLUSTER_URL");
        Setting.NODE_ID.apply(builder, "node-b", "ARQONBUS_NODE_ID");
        ServerConfig config = builder.build();

        assertThat(config.cluster().enabled()).isTrue();
        assertThat(config.cluster().nodeId()).isEqualTo("node-b");
        assertThat(config.storage().redis().address()).isEqualTo("127.0.0.1:6390");
        assertThat(config.storage().redis().database()).isEqualTo(2);
        assertThat(Setting.CLUSTER_URL.read(config)).isEqualTo("redis://127.0.0.1:6390/2");
        assertThat(Setting.NODE_ID.read(config)).isEqualTo("node-b");
    }

    @Test
    void aFileStoreIsRefusedInClusterModeWithAReason() {
        ServerConfig.Builder builder = ServerConfig.builder().cluster(RedisConfig.of("127.0.0.1", 6390))
                .store(StoreLocation.parse("ARQONBUS_STORE", "file:data"));

        assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--store file:").hasMessageContaining("a node's disk is not shared");
    }

    @Test
    void aHistoryRedisOtherThanTheClustersIsRefused() {
        ServerConfig.Builder builder = ServerConfig.builder().cluster(RedisConfig.of("127.0.0.1", 6390))
                .redis(RedisConfig.of("127.0.0.1", 6391));

        assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
                .hasMessageContaining("differ");
    }

    @Test
    void aNodeIdMustBeAShortName() {
        assertThatThrownBy(() -> ServerConfig.builder().nodeId("a b").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("node id: 'a b'");
        assertThatThrownBy(() -> ServerConfig.builder().nodeId("x|y").build()).isInstanceOf(ConfigException.class);
    }

    @Test
    void aClusterUrlThatIsNotRedisIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Setting.CLUSTER_URL.apply(ServerConfig.builder(), "http://x", "ARQONBUS_CLUSTER_URL"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_CLUSTER_URL");
    }
}
