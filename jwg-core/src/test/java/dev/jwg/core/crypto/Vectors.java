package dev.jwg.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small helpers and the WireGuard-level vectors of docs/protocol.md §7.7 shared by several tests. */
final class Vectors {
    private Vectors() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** start, start+1, … (mod 256), {@code len} bytes. */
    static byte[] seq(int start, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    // docs/protocol.md §7.7 fixed inputs and variant A outputs
    static final String SI_PRIV = "70076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c6a";
    static final String SI_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String SR_PRIV = "58ab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e06b";
    static final String SR_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String EI_PRIV = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e7f";
    static final String EI_PUB = "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254";
    static final String ER_PRIV = "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
    static final String ER_PUB = "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a";
    static final String MAC1_KEY_FOR_RESPONDER = "52c0a95717f46ba7941f80cec1ead35984c9f023a996170d9e47e314d260dc96";
    static final String MAC1_KEY_FOR_INITIATOR = "0ec72453412f9befa2f799ea837d0b88429321711dd01f9025163123bd1905be";
    static final String MSG_INITIATION = "0100000044332211358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254"
            + "c4d95d121b13f6ff24fe1e983a4c71ae6c55e2763a0d1de7643d6725687b49e7a55fea10050d69b8b69a79893d649b339434a506"
            + "fe739697f7b0e3c44db2dfd4872741d32a58246ebde269f3d65e7713b0ee5979e1cce713c9afa3e3"
            + "00000000000000000000000000000000";
    static final String MSG_RESPONSE = "02000000887766554433221179a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec"
            + "89af85a51a5088f4559e6cb5e5720e4523f573eb9b9bd8572e82c36cc7b6d7a521da35d32d"
            + "00000000000000000000000000000000";
    static final String RESP_C_AFTER_A = "c3228849bb20a6d1b11808b1e4abc915c1451896b14b1fba42cdfc445b2bc29e";
    static final String T_I_SEND_A = "5fe2f81f7ce2ce8bc9e3aad973312d721c7c36d77fd0c26342a45319c8069f89";
    static final String T_I_RECV_A = "e429173227a0a4509b3489e27f4a61d6d8e1ebc91761bb9cf48c647ba9fbde5a";
    static final String KEEPALIVE_I2R_A = "04000000887766550000000000000000e7efaeb1326c6f4c85ae4b89410363f6";
    static final String DATA_I2R_A = "0400000088776655010000000000000095e48cbc5387f903adc0beabaf0fd45ccab8bbe72b00029e"
            + "1015d76daf9a7e19245493daebae330383b7fd3fd19c8b11d02b8df1de747c09da609435f603aeb16e661a5089a8433c3f625f07"
            + "d18d080c1937ff1135b0bf64bcf9f096deddfe4903d44bc551af1c03c042ec7836092258";
    static final String KEEPALIVE_R2I_A = "04000000443322110000000000000000a12e990e248fd3c8d84cdc28d456b584";
    // variant B (PSK = e0e1…ff)
    static final String RESP_C_AFTER_B = "24474c455849a52f92e6ba615c5d3ee29e946b534af28a2c767987e7d0c31e12";
    static final String T_I_SEND_B = "dfd3ba82daa1bd9f5e32a599c6660ac9fee90aac15943b60a75ed19172825132";
    static final String T_I_RECV_B = "4ba74ec3bc238b3cb478b6c53f15457711dfe5a808fbc4a2843b0cc2b1a26fdb";
    static final String KEEPALIVE_I2R_B = "04000000887766550000000000000000783498c10edc3f464e6efe661b698aa9";
    static final String DATA_I2R_B = "040000008877665501000000000000000d85dde95730ada023674b7c3b7f10d17959ab2296ecf472"
            + "24e195bc44077dae09e3b6ed37bd3122009731063959b782dddfab44ad0abe463439189ba901e7b1d989eed428207f743de18265"
            + "7e892af6bf9a79da34797d0f1eee77cd9b34d9404b68abfc55330b1c9c7c259d724bab10";
    static final String KEEPALIVE_R2I_B = "04000000443322110000000000000000b81d7954e5fb7248c2825154e33a111e";
    /** The 84-byte inner packet of the data vectors, before padding to 96. */
    static final String INNER_PACKET = "4500005400004000400100000a0000010a00000208000000000102030405060708090a0b0c0d0e0f"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b";
    // cookie reply vector
    static final String COOKIE_ENCRYPTION_KEY = "da2c25a7f8182d2a7a58b0978d9dcd7e5f76c3fcf138fd6e5754404304cacba0";
    static final String COOKIE_SECRET = "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f";
    static final String COOKIE_SRC = "c0000201ca6c";
    static final String COOKIE = "3624a76848878022becaf6b842870f3e";
    static final String COOKIE_NONCE = "808182838485868788898a8b8c8d8e8f9091929394959697";
    static final String MSG_COOKIE_REPLY = "0300000044332211808182838485868788898a8b8c8d8e8f90919293949596971c555e58fb"
            + "1ff2c1975400d0b74c7f51510b83bac4e79269707438dcc81a4f04";
    static final String MAC2_WITH_COOKIE = "2320429d02275779d06b591689db99ec";

    // RFC 8439 §2.8.2 / draft-irtf-cfrg-xchacha-03 §A.3.1
    static final String AEAD_KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    static final String AEAD_AAD = "50515253c0c1c2c3c4c5c6c7";
    static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
            + " future, sunscreen would be it.";
}
