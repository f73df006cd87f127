package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The struct layouts and ioctl numbers jwg-linux declares are what C computes on the machine the
 * tests run on (docs/cpu-architectures.md): each struct is laid out here again from the C types of its
 * fields as the platform's linker sizes them ({@link Linker#canonicalLayouts()}: {@code long},
 * {@code size_t}, {@code int}, pointers) with C's alignment rules, and must match the declared
 * layout's offsets and size; the ioctl numbers are encoded again from their {@code _IOR}/{@code _IOW}
 * definitions. Run on arm64, the same test checks arm64.
 */
class StructsLayoutTest {
    private static final Map<String, MemoryLayout> C = Linker.nativeLinker().canonicalLayouts();

    /** A field of a C struct: its name and C type ({@code char[16]} as "char", 16). */
    private record Field(String name, String type, int count) {
        Field(String name, String type) {
            this(name, type, 1);
        }
    }

    /** {name: offset} and the size C gives a struct of these fields, aligned by the usual rules. */
    private static Map<String, Long> cLayout(List<Field> fields, Map<String, Long> size) {
        long offset = 0;
        long maxAlign = 1;
        Map<String, Long> offsets = new java.util.LinkedHashMap<>();
        for (Field f : fields) {
            MemoryLayout t = C.get(f.type());
            long align = t.byteAlignment();
            offset = (offset + align - 1) / align * align;
            offsets.put(f.name(), offset);
            offset += t.byteSize() * f.count();
            maxAlign = Math.max(maxAlign, align);
        }
        size.put("size", (offset + maxAlign - 1) / maxAlign * maxAlign);
        return offsets;
    }

    private static void assertLayout(StructLayout declared, List<Field> cFields) {
        Map<String, Long> size = new java.util.HashMap<>();
        Map<String, Long> expected = cLayout(cFields, size);
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(declared.byteOffset(MemoryLayout.PathElement.groupElement(e.getKey())))
                    .as(declared + ": offset of " + e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(declared.byteSize()).as(declared + ": size").isEqualTo(size.get("size"));
    }

    @Test
    void socketStructsAreWhatCComputesHere() {
        assertLayout(Structs.Iovec.LAYOUT, List.of(new Field("iov_base", "void*"), new Field("iov_len", "size_t")));
        // glibc: socklen_t is unsigned int; msg_iovlen and msg_controllen are size_t; msg_flags is int
        assertLayout(Structs.Msghdr.LAYOUT, List.of(new Field("msg_name", "void*"), new Field("msg_namelen", "int"),
                new Field("msg_iov", "void*"), new Field("msg_iovlen", "size_t"), new Field("msg_control", "void*"),
                new Field("msg_controllen", "size_t"), new Field("msg_flags", "int")));
        assertThat(Structs.Mmsghdr.SIZE).isEqualTo(Structs.Msghdr.LAYOUT.byteSize() + 8);
        assertLayout(Structs.Cmsghdr.LAYOUT, List.of(new Field("cmsg_len", "size_t"), new Field("cmsg_level", "int"),
                new Field("cmsg_type", "int")));
        assertLayout(Structs.SockaddrIn6.LAYOUT, List.of(new Field("sin6_family", "short"), new Field("sin6_port", "short"),
                new Field("sin6_flowinfo", "int"), new Field("sin6_addr", "char", 16), new Field("sin6_scope_id", "int")));
        assertLayout(Structs.SockaddrNl.LAYOUT, List.of(new Field("nl_family", "short"), new Field("nl_pad", "short"),
                new Field("nl_pid", "int"), new Field("nl_groups", "int")));
        assertLayout(Structs.Pollfd.LAYOUT, List.of(new Field("fd", "int"), new Field("events", "short"),
                new Field("revents", "short")));
        assertLayout(Structs.In6Pktinfo.LAYOUT, List.of(new Field("ipi6_addr", "char", 16), new Field("ipi6_ifindex", "int")));
        assertLayout(Structs.Nlmsghdr.LAYOUT, List.of(new Field("nlmsg_len", "int"), new Field("nlmsg_type", "short"),
                new Field("nlmsg_flags", "short"), new Field("nlmsg_seq", "int"), new Field("nlmsg_pid", "int")));
        assertLayout(Structs.Ifinfomsg.LAYOUT, List.of(new Field("ifi_family", "char"), new Field("ifi_pad", "char"),
                new Field("ifi_type", "short"), new Field("ifi_index", "int"), new Field("ifi_flags", "int"),
                new Field("ifi_change", "int")));
    }

    @Test
    void ifreqIsANameAndTheLargestMemberOfItsUnion() {
        // struct ifreq: char ifr_name[IFNAMSIZ]; then a union whose largest members are struct ifmap
        // (unsigned long mem_start, mem_end; unsigned short base_addr; unsigned char irq, dma, port)
        // and struct sockaddr (16 bytes)
        Map<String, Long> size = new java.util.HashMap<>();
        cLayout(List.of(new Field("mem_start", "long"), new Field("mem_end", "long"), new Field("base_addr", "short"),
                new Field("irq", "char"), new Field("dma", "char"), new Field("port", "char")), size);
        long union = Math.max(size.get("size"), 16);
        assertThat(Structs.Ifreq.UNION).isEqualTo(Libc.IFNAMSIZ);
        assertThat(Structs.Ifreq.LAYOUT.byteSize()).isEqualTo(Libc.IFNAMSIZ + union);
    }

    /** {@code _IOC(dir, type, nr, size)} of asm-generic/ioctl.h, the encoding of x86_64 and arm64. */
    private static long ioc(long dir, char type, int nr, long size) {
        return (dir << 30) | (size << 16) | ((long) type << 8) | nr;
    }

    @Test
    void ioctlNumbersAreEncodedFromTheirDefinitions() {
        long write = 1;
        long read = 2;
        long intSize = C.get("int").byteSize();
        long uintSize = C.get("int").byteSize();
        assertThat(Libc.TUNSETIFF).isEqualTo(ioc(write, 'T', 202, intSize));
        assertThat(Libc.TUNGETIFF).isEqualTo(ioc(read, 'T', 210, uintSize));
        assertThat(Libc.TUNSETOFFLOAD).isEqualTo(ioc(write, 'T', 208, uintSize));
        assertThat(Libc.TUNGETVNETHDRSZ).isEqualTo(ioc(read, 'T', 215, intSize));
        assertThat(Libc.TUNSETVNETHDRSZ).isEqualTo(ioc(write, 'T', 216, intSize));
        assertThat(Libc.TUNGETDEVNETNS).isEqualTo(ioc(0, 'T', 227, 0));
    }
}
