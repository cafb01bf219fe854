package io.arqonbus.server.internal.inspect;

/**
 * Fake credentials in the shapes the detectors look for, assembled from pieces so that the
 * source itself does not look like it carries secrets. None of them is real.
 */
public final class Secrets {
    private Secrets() {
    }

    /** AWS's documentation example access key id. */
    public static final String AWS_ACCESS_KEY = "AKIA" + "IOSFODNN7EXAMPLE";
    /** AWS's documentation example secret access key (40 characters). */
    public static final String AWS_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
    public static final String PRIVATE_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\n"
            + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
            + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
            + "-----END RSA " + "PRIVATE KEY-----";
    public static final String JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJhbGljZSJ9" + ".c2lnbmF0dXJlX3BhcnQ";
    public static final String STRIPE_KEY = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc";
    public static final String GCP_API_KEY = "AIza" + "SyA-abcdefghijklmnopqrstuvwxyz01234";
    public static final String GITHUB_TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789";
    public static final String SLACK_TOKEN = "xoxb-" + "123456789012-abcdefABCDEF";
    public static final String AZURE_KEY = "AccountKey=" + "a".repeat(86) + "==";
}
