package io.arqonbus.server.casil;

import io.arqonbus.server.internal.inspect.Secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each built-in detector: a positive and near misses that must not trigger it. */
class SecretKindTest {

    static List<String> kinds(String text) {
        return SecretKind.of(SecretKind.detect(text, text.toLowerCase(Locale.ROOT))).stream()
                .map(SecretKind::wireName).toList();
    }

    static Stream<Arguments> positives() {
        return Stream.of(
                Arguments.of("keyword_api_key", "send the api_key along"),
                Arguments.of("keyword_api_key", "X-ApiKey header"),
                Arguments.of("keyword_api_key", "my API-KEY"),
                Arguments.of("keyword_secret", "a Secret place"),
                Arguments.of("keyword_token", "the TOKEN"),
                Arguments.of("keyword_password", "Password reset"),
                Arguments.of("bearer_token", "Authorization: Bearer abcdef123456.xyz"),
                Arguments.of("stripe_key", "charge with " + Secrets.STRIPE_KEY),
                Arguments.of("stripe_key", "pk_" + "test_" + "abcdefghijklmnop1234"),
                Arguments.of("aws_access_key", "id " + Secrets.AWS_ACCESS_KEY + " ok"),
                Arguments.of("aws_access_key", "ASIA" + "ABCDEFGHIJKLMNOP"),
                Arguments.of("aws_secret_key", "{\"aws_secret_access_key\":\"" + Secrets.AWS_SECRET_KEY + "\"}"),
                Arguments.of("aws_secret_key", "AWS_SECRET_ACCESS_KEY=" + Secrets.AWS_SECRET_KEY),
                Arguments.of("gcp_api_key", "key=" + Secrets.GCP_API_KEY),
                Arguments.of("gcp_service_account", "{\"type\":\"service_account\",\"project_id\":\"p\"}"),
                Arguments.of("azure_storage_key", "DefaultEndpointsProtocol=https;" + Secrets.AZURE_KEY),
                Arguments.of("private_key", Secrets.PRIVATE_KEY),
                Arguments.of("private_key", "-----BEGIN OPENSSH " + "PRIVATE KEY-----"),
                Arguments.of("private_key", "-----BEGIN " + "PRIVATE KEY-----\nMIIB"),
                Arguments.of("jwt", "token " + Secrets.JWT),
                Arguments.of("github_token", Secrets.GITHUB_TOKEN),
                Arguments.of("github_token", "github_pat_" + "11ABCDEFG0123456789abcdefghij"),
                Arguments.of("slack_token", Secrets.SLACK_TOKEN),
                Arguments.of("generic_api_key", "{\"client_secret\":\"abcdefghijklmnopqrstuvwxyz123\"}"),
                Arguments.of("generic_api_key", "ACCESS_KEY = 'abcdefghij0123456789XYZ'"));
    }

    @ParameterizedTest
    @MethodSource("positives")
    void detects(String kind, String text) {
        assertThat(kinds(text)).contains(kind);
    }

    static Stream<Arguments> nearMisses() {
        return Stream.of(
                Arguments.of("keyword_api_key", "the api key"),
                Arguments.of("keyword_api_key", "rapid keys"),
                Arguments.of("keyword_secret", "secr3t"),
                Arguments.of("keyword_token", "tokn"),
                Arguments.of("keyword_password", "passwd"),
                Arguments.of("bearer_token", "the bearer of bad news"),
                Arguments.of("bearer_token", "Bearer abc"),
                Arguments.of("stripe_key", "sk_" + "live_" + "short"),
                Arguments.of("stripe_key", "task_" + "live_" + "abcdefghijklmnop1234"),
                Arguments.of("stripe_key", "rk_" + "live_" + "abcdefghijklmnop1234"),
                Arguments.of("aws_access_key", "AKIA" + "IOSFODNN7EXAMPL"),
                Arguments.of("aws_access_key", "XAKIA" + "IOSFODNN7EXAMPLE"),
                Arguments.of("aws_access_key", "akia" + "iosfodnn7example"),
                Arguments.of("aws_access_key", "Trip to Asia next week"),
                Arguments.of("aws_secret_key", "{\"aws_secret_access_key\":\"" + Secrets.AWS_SECRET_KEY.substring(1) + "\"}"),
                Arguments.of("aws_secret_key", "{\"secret\":\"" + Secrets.AWS_SECRET_KEY + "\"}"),
                Arguments.of("gcp_api_key", "AIza" + "SyA-short"),
                Arguments.of("gcp_service_account", "{\"type\":\"user_account\",\"note\":\"service_account\"}"),
                Arguments.of("azure_storage_key", "AccountKey=" + "a".repeat(80) + "=="),
                Arguments.of("private_key", "-----BEGIN PUBLIC " + "KEY-----"),
                Arguments.of("private_key", "-----BEGIN CERTIFICATE-----"),
                Arguments.of("private_key", "my private key is lost"),
                Arguments.of("jwt", "eyJhbGciOiJIUzI1NiJ9"),
                Arguments.of("jwt", "eyJ.eyJ.x"),
                Arguments.of("github_token", "ghp_" + "abc"),
                Arguments.of("slack_token", "xox-123"),
                Arguments.of("generic_api_key", "{\"client_secret\":\"short\"}"),
                Arguments.of("generic_api_key", "{\"monkey\":\"abcdefghijklmnopqrstuvwxyz\"}"));
    }

    @ParameterizedTest
    @MethodSource("nearMisses")
    void doesNotDetect(String kind, String text) {
        assertThat(kinds(text)).doesNotContain(kind);
    }

    @Test
    void ordinaryTextHasNothing() {
        assertThat(kinds("{\"text\":\"hello world\",\"n\":42,\"tags\":[\"science\",\"explore\"]}")).isEmpty();
    }

    @Test
    void everyKindHasAPositiveAndANearMiss() {
        List<String> positive = positives().map(a -> (String) a.get()[0]).distinct().toList();
        List<String> negative = nearMisses().map(a -> (String) a.get()[0]).distinct().toList();
        for (SecretKind kind : SecretKind.values()) {
            assertThat(positive).as("positive for %s", kind).contains(kind.wireName());
            assertThat(negative).as("near miss for %s", kind).contains(kind.wireName());
            assertThat(SecretKind.byWireName(kind.wireName())).isSameAs(kind);
        }
    }
}
