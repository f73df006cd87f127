package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.testkit.FakeClock;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.PacketMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-peer order of the parallel data path, deterministically on one thread: runs are posted in
 * the order they were queued whatever order their cryptography finishes in, and a batch's slots are
 * grouped into per-peer runs without reordering any peer's packets.
 */
class PeerQueueTest {
    final Node node = new Node(new FakeClock(), new java.util.Random(1));
    final List<Run> posted = new ArrayList<>();
    final PeerQueue.Poster poster = (run, lane) -> posted.add(run);

    private Peer peer(int seed) {
        return node.addPeer(PrivateKey.generate(new java.util.Random(seed)).publicKey(), null).orElseThrow();
    }

    private Job job(int capacity) {
        return new Job(PacketMemory.direct(256).newBatch(capacity), null);
    }

    @Test
    void runsArePostedInQueueOrderWhateverOrderTheyAreSealedIn() {
        PeerQueue q = new PeerQueue();
        Job job = job(8);
        Run[] runs = {job.runs[0], job.runs[1], job.runs[2], job.runs[3]};
        for (Run r : runs) {
            q.add(r);
        }
        q.sealed(runs[2], poster, null);
        q.sealed(runs[3], poster, null);
        assertThat(posted).as("nothing before the head is sealed").isEmpty();
        q.sealed(runs[1], poster, null);
        assertThat(posted).isEmpty();
        q.sealed(runs[0], poster, null);
        assertThat(posted).containsExactly(runs[0], runs[1], runs[2], runs[3]);
        Run late = job.runs[4];
        q.add(late);
        q.sealed(late, poster, null);
        assertThat(posted).last().isSameAs(late);
    }

    @Test
    void aPosterThatQueuesMoreFindsItPostedByTheSameDrain() {
        PeerQueue q = new PeerQueue();
        Job job = job(4);
        Run first = job.runs[0];
        Run second = job.runs[1];
        q.add(first);
        q.add(second);
        PeerQueue.Poster sealingPoster = (run, lane) -> {
            posted.add(run);
            if (run == first) {
                q.sealed(second, (r, l) -> posted.add(r), null); // another worker, while this one posts
            }
        };
        q.sealed(first, sealingPoster, null);
        assertThat(posted).containsExactly(first, second);
    }

    @Test
    void groupingKeepsEachPeersOrderAndMakesItsSlotsContiguous() {
        Peer a = peer(1);
        Peer b = peer(2);
        Peer c = peer(3);
        Job job = job(16);
        PacketBatch batch = job.batch;
        Peer[] order = {a, b, a, null, c, b, a, c, null, a};
        for (int i = 0; i < order.length; i++) {
            job.peers[i] = order[i];
            batch.put(i, new byte[] {(byte) i}, 0, 1); // the slot's original position, as its only byte
        }
        batch.setCount(order.length);
        job.group(order.length, 1, true);
        assertThat(job.runCount).isEqualTo(3);
        assertThat(runBytes(job, 0)).as("a's packets, in order").containsExactly(0, 2, 6, 9);
        assertThat(runBytes(job, 1)).as("b's").containsExactly(1, 5);
        assertThat(runBytes(job, 2)).as("c's").containsExactly(4, 7);
        assertThat(job.runs[0].peer).isSameAs(a);
        assertThat(job.runs[1].peer).isSameAs(b);
        assertThat(job.runs[2].peer).isSameAs(c);
        assertThat(job.runs[2].to).isEqualTo(8);
        // A second grouping (a new stamp) does not see the first one's runs.
        job.clear();
        for (int i = 0; i < 3; i++) {
            job.peers[i] = c;
            batch.put(i, new byte[] {(byte) (10 + i)}, 0, 1);
        }
        batch.setCount(3);
        job.group(3, 2, true);
        assertThat(job.runCount).isEqualTo(1);
        assertThat(runBytes(job, 0)).containsExactly(10, 11, 12);
    }

    private static List<Integer> runBytes(Job job, int r) {
        List<Integer> bytes = new ArrayList<>();
        Run run = job.runs[r];
        for (int i = run.from; i < run.to; i++) {
            bytes.add((int) job.batch.packet(i)[0]);
        }
        return bytes;
    }
}
