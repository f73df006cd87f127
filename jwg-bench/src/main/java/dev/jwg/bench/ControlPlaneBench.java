package dev.jwg.bench;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.UapiGetWriter;
import dev.jwg.config.uapi.UapiRequestReader;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.AeadBackendCheck;
import dev.jwg.core.crypto.CryptoSelfCheck;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.AllowedIps;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the control plane costs, measured here rather than asserted in tests (a time limit in a
 * test fails on a loaded machine): the start-up known-answer checks that every daemon start runs,
 * and the kernel netns.sh scenario of one peer with 130,560 allowed IPs — inserting them into the
 * trie, parsing the {@code set} request that carries them and writing the {@code get} answer.
 * Figures of interest: the checks stay in the milliseconds, the 130,560-prefix steps well under a
 * second.
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main ControlPlaneBench}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
@State(Scope.Benchmark)
public class ControlPlaneBench {

    private final List<IpPrefix> prefixes = new ArrayList<>();
    private byte[] setRequest;
    private DeviceSnapshot snapshot;

    @Setup
    public void setup() {
        StringBuilder set = new StringBuilder("set=1\npublic_key=").append("11".repeat(32)).append("\nreplace_allowed_ips=true\n");
        List<IpPrefix> ips = new ArrayList<>();
        for (int i = 0; i < 255; i++) {
            for (int j = 0; j < 256; j++) {
                byte[] v4 = {(byte) 192, (byte) 168, (byte) i, (byte) j};
                byte[] v6 = new byte[16];
                v6[0] = (byte) 0xab;
                v6[1] = (byte) 0xcd;
                v6[13] = (byte) i;
                v6[15] = (byte) j;
                prefixes.add(IpPrefix.of(v4, 32));
                prefixes.add(IpPrefix.of(v6, 128));
                ips.add(IpPrefix.ofAsWritten(v4, 32));
                ips.add(IpPrefix.ofAsWritten(v6, 128));
                set.append("allowed_ip=192.168.").append(i).append('.').append(j).append("/32\n");
                set.append("allowed_ip=abcd::").append(Integer.toHexString(i)).append(':').append(Integer.toHexString(j)).append("/128\n");
            }
        }
        setRequest = set.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
        snapshot = new DeviceSnapshot(Optional.empty(), 1, 0, List.of(
                new PeerSnapshot(PublicKey.fromBytes(new byte[PublicKey.LEN]), PresharedKey.ZERO, Optional.empty(),
                        0, 0, 0, 0, 0, ips)));
    }

    @Benchmark
    public void cryptoSelfCheck() {
        CryptoSelfCheck.run();
    }

    @Benchmark
    public void jdkAeadBackendCheck() {
        AeadBackendCheck.run(AeadBackend.JDK);
    }

    @Benchmark
    public AllowedIps<Object> trieInsert130560() {
        AllowedIps<Object> t = new AllowedIps<>();
        Object peer = new Object();
        for (IpPrefix p : prefixes) {
            t.insert(p, peer);
        }
        return t;
    }

    @Benchmark
    public Object uapiParse130560() throws Exception {
        UapiRequestReader reader = new UapiRequestReader(new ByteArrayInputStream(setRequest));
        reader.next();
        return reader.readSet();
    }

    @Benchmark
    public long uapiWrite130560() throws IOException {
        long[] n = new long[1];
        UapiGetWriter.write(snapshot, new OutputStream() {
            @Override
            public void write(int b) { n[0]++; }

            @Override
            public void write(byte[] b, int off, int len) { n[0] += len; }
        });
        return n[0];
    }
}
