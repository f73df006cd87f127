package dev.jwg.cli.quick;

import dev.jwg.config.model.DnsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How {@code jwg up} hands a tunnel's DNS servers and domains to the system, for wg-quick's
 * {@code DNS =} and networkd's {@code DNS=}/{@code Domains=} alike:
 *
 * <ul>
 *   <li>through {@code resolvconf} when it is installed, as wg-quick does: one record for the
 *       interface, {@code nameserver} and {@code search} lines, {@code -x} (exclusive) for wg-quick and
 *       for a networkd file with {@code Domains=~.}; routing-only domains and server ports, interfaces
 *       and names cannot be expressed there and are left out with a note;
 *   <li>else through systemd-resolved, {@code resolvectl dns IF ...} and {@code resolvectl domain IF ...},
 *       as networkd hands them to it; wg-quick's exclusive DNS is the routing domain {@code ~.}, as
 *       systemd's own resolvconf translates {@code -x};
 *   <li>when neither is there, {@code up} is refused before anything changes: a tunnel meant to carry
 *       DNS must not come up leaking it, as wg-quick fails and rolls back. {@code jwg up --no-dns}
 *       brings the tunnel up without its DNS, saying so.
 * </ul>
 *
 * (docs/networkd.md §5). {@code down} undoes it: {@code resolvconf -d} after the link is gone, as wg-quick does;
 * {@code resolvectl revert} while the link still exists. Stateless.
 */
final class DnsSteps {
    private DnsSteps() {}

    /**
     * The steps for DNS.
     *
     * @param ifname the interface
     * @param servers the DNS servers
     * @param domains search domains, {@code ~routing} domains, {@code ~.}
     * @param exclusive whether the tunnel's servers are to answer every query (wg-quick's {@code -x})
     * @param f whether resolvconf and resolvectl are installed
     * @param off {@code --no-dns}: apply nothing, with a note
     * @throws QuickException if there is DNS to set and nothing to set it with
     */
    static List<Step> steps(String ifname, List<DnsServer> servers, List<String> domains, boolean exclusive, Facts f,
            boolean off) throws QuickException {
        List<Step> steps = new ArrayList<>();
        if (servers.isEmpty() && domains.isEmpty()) {
            return steps;
        }
        String what = describe(servers, domains);
        if (off) {
            steps.add(new Step.Note("DNS not configured (--no-dns): " + what));
            return steps;
        }
        if (f.resolvconfPrefix().isPresent()) {
            String record = f.resolvconfPrefix().get() + ifname;
            StringBuilder in = new StringBuilder();
            for (DnsServer s : servers) {
                in.append("nameserver ").append(s.address()).append('\n');
                if (!s.isPlain()) {
                    steps.add(new Step.Note("DNS server " + s + " is given to resolvconf as " + s.address()
                            + ": resolvconf takes no port, interface or server name"));
                }
            }
            List<String> search = new ArrayList<>();
            boolean x = exclusive;
            for (String d : domains) {
                if (d.equals("~.")) {
                    x = true;
                } else if (d.startsWith("~")) {
                    steps.add(new Step.Note("routing-only domain " + d + " not configured: resolvconf has no routing domains"));
                } else {
                    search.add(d);
                }
            }
            if (!search.isEmpty()) {
                in.append("search ").append(String.join(" ", search)).append('\n');
            }
            List<String> argv = new ArrayList<>(List.of("resolvconf", "-a", record, "-m", "0"));
            if (x) {
                argv.add("-x");
            }
            steps.add(new Step.Run(SysCommand.of(argv).withStdin(in.toString()),
                    Undo.of(Undo.Kind.DNS, "resolvconf", "-d", record, "-f")));
            return steps;
        }
        if (f.resolvectl()) {
            Undo revert = Undo.of(Undo.Kind.RESOLVED, "resolvectl", "revert", ifname);
            List<String> all = new ArrayList<>(domains);
            if (exclusive && !all.contains("~.")) {
                all.add("~.");
            }
            if (!servers.isEmpty()) {
                List<String> argv = new ArrayList<>(List.of("resolvectl", "dns", ifname));
                servers.forEach(s -> argv.add(s.toString()));
                steps.add(new Step.Run(SysCommand.of(argv), revert));
                revert = null;
            }
            if (!all.isEmpty()) {
                List<String> argv = new ArrayList<>(List.of("resolvectl", "domain", ifname));
                argv.addAll(all);
                steps.add(revert == null ? new Step.Run(SysCommand.of(argv)) : new Step.Run(SysCommand.of(argv), revert));
            }
            return steps;
        }
        throw new QuickException("cannot configure DNS (" + what + "): neither resolvconf nor resolvectl "
                + "(systemd-resolved) is installed. Install one of them, or run 'jwg up --no-dns' to bring the "
                + "tunnel up without its DNS settings");
    }

    private static String describe(List<DnsServer> servers, List<String> domains) {
        List<String> all = new ArrayList<>();
        servers.forEach(s -> all.add(s.toString()));
        all.addAll(domains);
        return all.stream().collect(Collectors.joining(", "));
    }
}
