package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the Linux I/O keeps with a {@link PacketBatch} ({@link PacketBatch#ioState()}): the batch's
 * memory as a native segment (so that slot {@code i}'s packet is at address
 * {@code address + offset(i)}), and system-call scratch space indexed by slot, so that threads
 * sending or writing different slot ranges of one batch at once never share any of it:
 * <ul>
 * <li>for {@code sendmmsg}: an mmsghdr, a sockaddr and a control buffer per slot, and an iovec per
 *     slot, pointing at the slot's datagram; a UDP GSO message of slots {@code i..j-1} is mmsghdr
 *     {@code k} (one of {@code i..j-1}) with the iovecs {@code i..j-1};
 * <li>for the TUN's {@code writev}: an iovec per slot; a coalesced super-packet of slots
 *     {@code i..j-1} is iovecs {@code i..j-1}.
 * </ul>
 * Made with the batch by {@link NativePacketMemory}, or on first use for a batch in other direct
 * memory (tests). Mutable, no lock: whoever holds a slot range uses that range's scratch.
 */
final class LinuxBatch {
    static final long IOV = Structs.Iovec.LAYOUT.byteSize();

    final MemorySegment memory;
    final long address;
    final MemorySegment msgs;
    final MemorySegment iovs;
    final MemorySegment names;
    final MemorySegment controls;
    final MemorySegment tunIovs;
    final long msgsAddress;
    final long iovsAddress;
    final long tunIovsAddress;
    /** Sending: for the message staged at index k, its first slot and how many slots it carries. */
    final int[] firstSlot;
    final int[] slots;

    LinuxBatch(MemorySegment memory, int capacity) {
        this.memory = memory;
        this.address = memory.address();
        Arena arena = Arena.ofAuto();
        this.msgs = arena.allocate(Structs.Mmsghdr.SIZE * capacity, 8);
        this.iovs = arena.allocate(IOV * capacity, 8);
        this.names = arena.allocate(MessageArray.NAME_SIZE * capacity, 8);
        this.controls = arena.allocate(MessageArray.CONTROL_SIZE * capacity, 8);
        this.tunIovs = arena.allocate(IOV * capacity, 8);
        this.msgsAddress = msgs.address();
        this.iovsAddress = iovs.address();
        this.tunIovsAddress = tunIovs.address();
        this.firstSlot = new int[capacity];
        this.slots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            long h = MessageArray.hdr(i);
            msgs.set(ADDRESS, h + Structs.Msghdr.NAME, names.asSlice(i * MessageArray.NAME_SIZE));
            msgs.set(JAVA_LONG, h + Structs.Msghdr.IOV, iovsAddress + i * IOV);
        }
    }

    /** The batch's Linux state, made now if the batch came from elsewhere than {@link NativePacketMemory}. */
    static LinuxBatch of(PacketBatch batch) {
        if (batch.ioState() instanceof LinuxBatch lb) {
            return lb;
        }
        synchronized (batch) {
            if (batch.ioState() instanceof LinuxBatch lb) {
                return lb;
            }
            if (!batch.memory().isDirect()) {
                throw new IllegalArgumentException("Linux I/O needs a batch in native memory, not " + batch.memory());
            }
            LinuxBatch lb = new LinuxBatch(MemorySegment.ofBuffer(batch.memory()), batch.capacity());
            batch.setIoState(lb);
            return lb;
        }
    }

    /** The mmsghdr address of message index {@code k}. */
    long msg(int k) {
        return msgsAddress + k * Structs.Mmsghdr.SIZE;
    }
}
