#!/usr/bin/env bash
# The stock wg against jwgd behaves as against wireguard-go. Both daemons run side by side in their
# own namespaces, interfaces left DOWN (no traffic, so counters and handshakes stay still); the
# same wg commands go to both and every view of the result is compared after normalising the
# interface name: wg show IF, wg show IF dump, every wg show IF <field>, wg showconf IF, plus the
# exit status and error output of each command. Covers wg set (every option), setconf, addconf,
# syncconf, raw UAPI incremental allowed_ip lines, the kernel netns.sh scenario 19 key facts and
# scenario 18's large configurations (130 560 allowed IPs on one peer), and wg show doesnotexist.
#
# Legitimate differences, normalised below (each one is also checked explicitly):
#  * Order of allowed IPs within a peer: wireguard-go (like the kernel) lists them in insertion
#    order, jwgd in its trie's order (IPv4 before IPv6, ascending). The set is what routing uses;
#    wg-quick sorts by prefix length itself. Lists are compared sorted.
#  * Order of peers: wg sorts peers by latest handshake (all 0 here), so the daemon's order shows
#    through; wireguard-go walks a Go map (random order), jwgd reports insertion order. Peers are
#    compared sorted.
#  * Listen port while the link is down and no port was configured: jwgd follows the link state
#    (UDP socket only while up, docs/protocol.md §4.5) and reports no port; wireguard-go 0.0.20220316
#    on this kernel believes a down TUN is up (its write() probe) and binds a random port at once.
#    We configure explicit ports, and check the port-0 case separately.
#  * Incremental allowed_ip=-PREFIX (UAPI since 2025): jwgd implements it, wireguard-go 0.0.20220316
#    predates it and answers errno=-22. The stock wg here (v1.0.20210914) cannot send +/- either,
#    so that part talks raw UAPI.
E2E_PREFIX="${E2E_PREFIX:-wt}"
umask 077
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag wtj wtg)"
NJ="${E2E_PREFIX}-tools-j-$TAG" NG="${E2E_PREFIX}-tools-g-$TAG"
J="wtj$TAG" G="wtg$TAG"
T="$(mktemp -d /tmp/jwg-wt.XXXXXX)"
trap 'cleanup; rm -rf "$T"' EXIT
ORDER_IPS=()   # steps where only the order of allowed IPs differed
ORDER_PEERS=() # steps where the order of peers differed (maybe allowed IPs too)

# norm MODE IFNAME < output: the comparable form of a wg output (see the header).
#   MODE blocks: paragraphs (wg show IF, showconf), first kept, peer paragraphs sorted
#   MODE dump:   first line kept, peer lines sorted
#   MODE lines:  all lines sorted (wg show IF <field>)
#   MODE raw:    only the interface name replaced
norm() {
    perl -e '
        my ($mode, $if) = @ARGV; local $/; my $s = <STDIN>; $s = "" unless defined $s;
        $s =~ s/^interface: \Q$if\E$/interface: IF/mg;
        exit(print $s) if $mode eq "raw";
        sub sl { my ($l, $sep) = @_; join($sep, sort split(/\Q$sep\E/, $l)) }
        $s =~ s/^(\s*allowed ips: )(.*)$/$1 . sl($2, ", ")/mge;
        $s =~ s/^(AllowedIPs = )(.*)$/$1 . sl($2, ", ")/mge;
        $s =~ s/\n+\z//;
        my @l = split(/\n/, $s, -1);
        for (@l) {
            my @f = split(/\t/, $_, -1);
            if (@f == 8) { $f[3] = sl($f[3], ","); }   # dump peer line
            elsif (@f == 2 && $f[1] =~ m{/}) { $f[1] = sl($f[1], " "); }   # allowed-ips field
            $_ = join("\t", @f);
        }
        $s = join("\n", @l);
        if ($ENV{KEEP_PEER_ORDER}) { print "$s\n"; exit 0; }
        if ($mode eq "blocks") {
            my @b = split(/\n\n/, $s); my $first = shift @b;
            $first = "" unless defined $first;
            $s = join("\n\n", $first, sort @b) . "\n";
        } elsif ($mode eq "dump") {
            my @x = grep { length } split(/\n/, $s); my $first = shift @x;
            $s = join("\n", (defined $first ? $first : ()), sort @x) . "\n";
        } elsif ($mode eq "lines") {
            $s = join("\n", sort grep { length } split(/\n/, $s)) . "\n";
        }
        print $s;
    ' "$1" "$2"
}

FIELDS=(public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes persistent-keepalive transfer)

# views IFNAME MODE: every wg view of the interface, one after the other with headers
# (MODE raw: only the name normalised; ips: allowed IPs sorted; full: allowed IPs and peers sorted)
views() {
    local ifn="$1" mode="$2" m
    [ "$mode" = ips ] && local -x KEEP_PEER_ORDER=1
    for v in show dump "${FIELDS[@]}" showconf; do
        echo "== $v"
        case "$v" in
            show) [ "$mode" = raw ] && m=raw || m=blocks; wg show "$ifn" 2>&1 | norm "$m" "$ifn" ;;
            dump) [ "$mode" = raw ] && m=raw || m=dump; wg show "$ifn" dump 2>&1 | norm "$m" "$ifn" ;;
            showconf) [ "$mode" = raw ] && m=raw || m=blocks; wg showconf "$ifn" 2>&1 | norm "$m" "$ifn" ;;
            *) [ "$mode" = raw ] && m=raw || m=lines; wg show "$ifn" "$v" 2>&1 | norm "$m" "$ifn" ;;
        esac
    done | if [ -n "$MASK_PORT" ]; then mask_port; else cat; fi
}

# mask_port: hides the listening port (for steps that leave it at 0, see the header)
MASK_PORT=""
mask_port() {
    grep -v -e '^  listening port: ' -e '^ListenPort = ' | sed -e '/^== listen-port$/{n;s/.*/PORT/}' \
        -e 's/^\([^\t]*\t[^\t]*\t\)[0-9]*\t\([^\t]*\)$/\1PORT\t\2/'
}

# same "description": jwgd and wireguard-go show the same state in every view
same() {
    local what="$1"
    views "$J" full >"$T/vj"
    views "$G" full >"$T/vg"
    if cmp -s "$T/vj" "$T/vg"; then
        ok "$what: every wg view is the same on jwgd and wireguard-go"
        views "$J" raw >"$T/rj"
        views "$G" raw >"$T/rg"
        if ! cmp -s "$T/rj" "$T/rg"; then
            views "$J" ips >"$T/rj"
            views "$G" ips >"$T/rg"
            if cmp -s "$T/rj" "$T/rg"; then ORDER_IPS+=("$what"); else ORDER_PEERS+=("$what"); fi
        fi
    else
        not_ok "$what: every wg view is the same on jwgd and wireguard-go"
        diff -u --label wireguard-go --label jwgd "$T/vg" "$T/vj" | head -n 40 | sed 's/^/    # /'
    fi
}

# both "description" wg-args...: runs wg on both interfaces (@IF@ stands for the interface name),
# checks exit status and error output are the same, then that every view is the same.
both() {
    local what="$1" rj rg a
    shift
    local aj=() ag=()
    for a in "$@"; do aj+=("${a//@IF@/$J}"); ag+=("${a//@IF@/$G}"); done
    wg "${aj[@]}" >"$T/oj" 2>"$T/ej"; rj=$?
    wg "${ag[@]}" >"$T/og" 2>"$T/eg"; rg=$?
    sed -i "s/$J/IF/g" "$T/oj" "$T/ej"
    sed -i "s/$G/IF/g" "$T/og" "$T/eg"
    check_eq "$what: same exit status" "$rg" "$rj"
    check_eq "$what: same output and errors" "$(cat "$T/og" "$T/eg")" "$(cat "$T/oj" "$T/ej")"
    same "$what"
}

# uapi IFNAME: a raw UAPI request from stdin, the answer on stdout
uapi() { socat -t 5 - "UNIX-CONNECT:/var/run/wireguard/$1.sock"; }

key() { wg genkey >"$T/$1"; wg pubkey <"$T/$1" >"$T/$1.pub"; }
pub() { cat "$T/$1.pub"; }

netns_add "$NJ"
netns_add "$NG"
start_daemon jwgd "$NJ" "$J" || { not_ok "jwgd $J starts"; finish; exit 1; }
start_daemon wireguard-go "$NG" "$G" || { not_ok "wireguard-go $G starts"; finish; exit 1; }

echo "# --- a fresh interface"
check_eq "fresh jwgd, link down: no listening port yet" "0" "$(wg show $J listen-port)"
# wireguard-go binds a random port at start (see header); everything else must match.
MASK_PORT=1
same "fresh interface, apart from the listening port"
MASK_PORT=""

for k in k0 k1 k2 k3 k4 k5 kslash; do key "$k"; done
wg genpsk >"$T/psk1"; wg genpsk >"$T/psk2"
: >"$T/empty"

echo "# --- wg set, one option at a time"
both "listen-port" set @IF@ listen-port 51820
both "private-key" set @IF@ private-key "$T/k0"
check_eq "private key reads back in base64" "$(cat "$T/k0")" "$(wg show $J private-key)"
check_eq "public key derived from it" "$(pub k0)" "$(wg show $J public-key)"
both "fwmark decimal" set @IF@ fwmark 1234
both "fwmark hex" set @IF@ fwmark 0xca6c
both "fwmark off" set @IF@ fwmark off
both "fwmark 0xffffffff" set @IF@ fwmark 0xffffffff
both "peer with allowed-ips, v4 endpoint, keepalive" set @IF@ peer "$(pub k1)" allowed-ips 10.1.0.0/16,fd01::/64,10.1.2.3/32 endpoint 192.0.2.1:51821 persistent-keepalive 25
both "second peer, v6 endpoint" set @IF@ peer "$(pub k2)" endpoint '[2001:db8::2]:51822' allowed-ips 10.2.0.0/16
both "v6 endpoint with a zone-less link-local" set @IF@ peer "$(pub k2)" endpoint '[fe80::1]:51822'
both "v6 endpoint back to global" set @IF@ peer "$(pub k2)" endpoint '[2001:db8::2]:1'
both "endpoint v4 replaces v6" set @IF@ peer "$(pub k2)" endpoint 198.51.100.2:65535
both "preshared-key" set @IF@ peer "$(pub k1)" preshared-key "$T/psk1"
check_eq "preshared key reads back in base64" "$(pub k1)	$(cat "$T/psk1")" "$(wg show $J preshared-keys | grep "$(pub k1)")"
both "preshared-key /dev/null removes it" set @IF@ peer "$(pub k1)" preshared-key /dev/null
both "preshared-key from an empty file removes it" set @IF@ peer "$(pub k2)" preshared-key "$T/empty"
both "persistent-keepalive 1" set @IF@ peer "$(pub k2)" persistent-keepalive 1
both "persistent-keepalive 65535" set @IF@ peer "$(pub k2)" persistent-keepalive 65535
both "persistent-keepalive off" set @IF@ peer "$(pub k2)" persistent-keepalive off
both "persistent-keepalive 0" set @IF@ peer "$(pub k1)" persistent-keepalive 0
both "allowed-ips replaced" set @IF@ peer "$(pub k1)" allowed-ips 10.11.0.0/16,fd11::/48
both "allowed-ips stolen from another peer" set @IF@ peer "$(pub k2)" allowed-ips 10.2.0.0/16,10.11.0.0/16
both "allowed-ips emptied" set @IF@ peer "$(pub k2)" allowed-ips ""
both "allowed-ips non-canonical prefix (host bits set)" set @IF@ peer "$(pub k2)" allowed-ips 10.9.9.9/8,fd00::1/16
both "several options and peers in one command" set @IF@ listen-port 51900 fwmark 7 peer "$(pub k3)" allowed-ips 10.3.0.0/24 peer "$(pub k4)" preshared-key "$T/psk2" endpoint 203.0.113.4:4 allowed-ips 0.0.0.0/0,::/0
both "peer remove" set @IF@ peer "$(pub k3)" remove
both "removing an absent peer is fine" set @IF@ peer "$(pub k5)" remove
both "private-key /dev/null removes it" set @IF@ private-key /dev/null
check_eq "no private key reads back as (none)" "(none)" "$(wg show $J private-key)"
check_eq "no public key without a private key" "(none)" "$(wg show $J public-key)"
both "private-key again" set @IF@ private-key "$T/k0"
both "listen-port again" set @IF@ listen-port 51901
both "invalid: listen-port 70000" set @IF@ listen-port 70000
both "invalid: bad public key" set @IF@ peer notakey allowed-ips 10.0.0.0/8
both "invalid: bad allowed ip" set @IF@ peer "$(pub k1)" allowed-ips 10.0.0.0/33
both "invalid: endpoint without port" set @IF@ peer "$(pub k1)" endpoint 192.0.2.1

echo "# --- kernel netns.sh scenario 19: keys"
echo "/$(cut -c2- "$T/kslash")" >"$T/kslash2"
both "private key starting with /" set @IF@ private-key "$T/kslash2"
check_eq "a private key starting with / reads back starting with + (clamped)" "+$(cut -c2- "$T/kslash")" "$(wg show $J private-key)"
own="$(wg show $J public-key)"
both "a peer equal to our own public key" set @IF@ peer "$own" allowed-ips 10.99.0.0/16
check "the own-key peer is not listed" bash -c "! wg show $J peers | grep -qF -- '$own'"
both "a peer with our own key in a list of peers" set @IF@ peer "$(pub k5)" allowed-ips 10.5.0.0/16 peer "$own" allowed-ips 10.98.0.0/16 peer "$(pub k3)" allowed-ips 10.3.0.0/16
both "overlapping v4 allowed-ips" set @IF@ peer "$(pub k2)" allowed-ips 0.0.0.0/0,10.0.0.0/8,10.0.0.0/16,10.0.0.0/24
both "...replaced by 0.0.0.0/0" set @IF@ peer "$(pub k2)" allowed-ips 0.0.0.0/0
both "overlapping v6 allowed-ips" set @IF@ peer "$(pub k2)" allowed-ips ::/0,1700::/111,5000::/4,e000::/37,9000::/75
both "...replaced by ::/0" set @IF@ peer "$(pub k2)" allowed-ips ::/0
both "overlapping allowed-ips removed with the peer" set @IF@ peer "$(pub k2)" remove

echo "# --- setconf, addconf, syncconf"
cat >"$T/a.conf" <<EOF
[Interface]
PrivateKey = $(cat "$T/k0")
ListenPort = 51830
FwMark = 0x10

[Peer]
PublicKey = $(pub k1)
PresharedKey = $(cat "$T/psk1")
AllowedIPs = 10.1.0.0/16, fd01::/64
AllowedIPs = 10.100.0.1/32
Endpoint = 192.0.2.1:1001
PersistentKeepalive = 5

[Peer]
PublicKey = $(pub k2)
AllowedIPs = 10.2.0.0/16
Endpoint = [2001:db8::2]:1002

[Peer]
PublicKey = $(pub k3)
EOF
both "setconf" setconf @IF@ "$T/a.conf"
check_eq "setconf replaced the peers (3 left)" "3" "$(wg show $J peers | wc -l)"
cat >"$T/b.conf" <<EOF
[Peer]
PublicKey = $(pub k4)
AllowedIPs = 10.4.0.0/16
[Peer]
PublicKey = $(pub k2)
AllowedIPs = 10.22.0.0/16
PersistentKeepalive = 7
EOF
both "addconf: new peer, existing peer's allowed IPs replaced" addconf @IF@ "$T/b.conf"
cat >"$T/c.conf" <<EOF
[Interface]
ListenPort = 51831
EOF
both "addconf with only a listen port keeps key and fwmark" addconf @IF@ "$T/c.conf"
cat >"$T/d.conf" <<EOF
[Interface]
PrivateKey = $(cat "$T/k0")
ListenPort = 51832

[Peer]
PublicKey = $(pub k1)
AllowedIPs = 10.1.0.0/16
Endpoint = 192.0.2.11:1011

[Peer]
PublicKey = $(pub k2)
AllowedIPs = 10.22.0.0/16
PersistentKeepalive = 7

[Peer]
PublicKey = $(pub k5)
PresharedKey = $(cat "$T/psk2")
AllowedIPs = 10.5.0.0/16, fd05::/64
EOF
both "syncconf: peer removed (k3, k4), peer changed (k1), unchanged (k2), added (k5)" syncconf @IF@ "$T/d.conf"
check_eq "syncconf left exactly the file's peers" "$(printf '%s\n' "$(pub k1)" "$(pub k2)" "$(pub k5)" | sort)" "$(wg show $J peers | sort)"
both "syncconf with the same file is a no-op" syncconf @IF@ "$T/d.conf"
wg showconf "$J" >"$T/j.conf"
both "setconf from jwgd's own showconf" setconf @IF@ "$T/j.conf"
printf '[Interface]\n' >"$T/e.conf"
MASK_PORT=1 # setconf sends listen_port=0: a random port on wireguard-go, none on jwgd while down
both "setconf with an empty [Interface] (listening port aside)" setconf @IF@ "$T/e.conf"
check_eq "jwgd: setconf without ListenPort reads 0 while down" "0" "$(wg show $J listen-port)"
printf '[Interface]\nBogus = 1\n' >"$T/bad.conf"
both "invalid config is refused (listening port aside)" setconf @IF@ "$T/bad.conf"
MASK_PORT=""

echo "# --- raw UAPI: incremental allowed IPs, update_only, protocol_version"
both "base for raw UAPI" set @IF@ private-key "$T/k0" listen-port 51840 peer "$(pub k1)" allowed-ips 10.1.0.0/16
hexpub() { pub "$1" | base64 -d | od -An -tx1 -v | tr -d ' \n'; }
raw_both() { # "description" request-lines...: the same raw request to both, same answers
    local what="$1"; shift
    local aj ag
    aj="$(printf '%s\n' "$@" "" | uapi "$J")"
    ag="$(printf '%s\n' "$@" "" | uapi "$G")"
    check_eq "$what: same answer ($(printf '%s' "$ag" | head -n 1 | tr -d '\n' | cut -c1-40))" "$ag" "$aj"
    same "$what"
}
raw_both "allowed_ip without replace adds (wg set allowed-ips +X)" set=1 "public_key=$(hexpub k1)" allowed_ip=10.7.0.0/24 allowed_ip=fd07::/64
raw_both "update_only on an absent peer creates nothing" set=1 "public_key=$(hexpub k4)" update_only=true allowed_ip=10.4.0.0/16
raw_both "update_only on an existing peer updates it" set=1 "public_key=$(hexpub k1)" update_only=true persistent_keepalive_interval=9
raw_both "protocol_version=1 accepted" set=1 "public_key=$(hexpub k1)" protocol_version=1
raw_both "protocol_version=2 refused" set=1 "public_key=$(hexpub k1)" protocol_version=2
raw_both "replace_peers" set=1 replace_peers=true "public_key=$(hexpub k2)" allowed_ip=10.2.0.0/16
raw_both "get with trailing junk is refused" get=1 junk=1
raw_both "unknown key is refused" set=1 bogus=1
raw_both "line without = is refused" set=1 bogus
# allowed_ip=-PREFIX (wg set allowed-ips -X in wireguard-tools since 2025): only jwgd knows it.
ans="$(printf '%s\n' set=1 "public_key=$(hexpub k2)" allowed_ip=10.3.0.0/16 allowed_ip=10.4.0.0/16 allowed_ip=-10.2.0.0/16 "" | uapi "$J")"
check_eq "jwgd: allowed_ip=-PREFIX accepted" "errno=0" "$ans"
check_eq "jwgd: allowed_ip=-PREFIX removed exactly that prefix" "$(pub k2)	10.3.0.0/16 10.4.0.0/16" "$(wg show $J allowed-ips | norm lines $J)"
ans="$(printf '%s\n' set=1 "public_key=$(hexpub k2)" allowed_ip=-10.5.0.0/16 "" | uapi "$J")"
check_eq "jwgd: removing an absent prefix is fine" "errno=0" "$ans"
ans="$(printf '%s\n' set=1 "public_key=$(hexpub k2)" allowed_ip=-10.9.0.0/16 "" | uapi "$G")"
echo "    # wireguard-go $(wireguard-go --version | head -n 1 | cut -d' ' -f2) answers allowed_ip=-PREFIX with: $ans"
if printf '%s\n' "[Peer]" "PublicKey=$(pub k2)" >/dev/null && wg set "$J" peer "$(pub k2)" allowed-ips +10.6.0.0/16 2>/dev/null; then
    wg set "$G" peer "$(pub k2)" allowed-ips +10.6.0.0/16
    same "wg set allowed-ips +PREFIX"
else
    echo "    # this wg ($(wg --version | cut -d' ' -f2)) has no allowed-ips +/-PREFIX; covered by raw UAPI above"
fi

echo "# --- kernel netns.sh scenario 18: large configurations"
gen_conf() { # the scenario-18 configurations, printed on stdout
    case "$1" in
    big)
        echo "[Interface]"; echo "PrivateKey = $(cat "$T/k0")"; echo "ListenPort = 51850"
        echo "[Peer]"; echo "PublicKey = $(pub k1)"
        for a in $(seq 1 255); do for b in $(seq 0 255); do echo "AllowedIPs = $a.$b.0.0/16,$a::$b/128"; done; done ;;
    many)
        echo "[Interface]"; echo "PrivateKey = $(cat "$T/k0")"; echo "ListenPort = 51851"
        for p in $(seq 1 40); do
            echo "[Peer]"; echo "PublicKey = $(wg genkey | wg pubkey)"
            for a in $(seq 1 52); do echo "AllowedIPs = $p.$a.0.0/16"; done
        done ;;
    last)
        echo "[Interface]"; echo "PrivateKey = $(cat "$T/k0")"; echo "ListenPort = 51852"
        for p in $(seq 1 29); do echo "[Peer]"; echo "PublicKey = $(wg genkey | wg pubkey)"; done
        echo "[Peer]"; echo "PublicKey = $(pub k2)"; echo "AllowedIPs = 10.30.0.0/16" ;;
    v6)
        echo "[Interface]"; echo "PrivateKey = $(cat "$T/k0")"; echo "ListenPort = 51853"
        echo "[Peer]"; echo "PublicKey = $(pub k3)"
        for a in $(seq 1 197); do printf 'AllowedIPs = abcd::%x/128\n' "$a"; done
        echo "[Peer]"; echo "PublicKey = $(pub k4)" ;;
    esac
}
gen_conf many >"$T/many.conf"
both "40 peers with 52 prefixes each" setconf @IF@ "$T/many.conf"
gen_conf last >"$T/last.conf"
both "30 peers, only the last with allowed IPs" setconf @IF@ "$T/last.conf"
gen_conf v6 >"$T/v6.conf"
both "a peer with 197 IPv6 allowed IPs next to one with none" setconf @IF@ "$T/v6.conf"
check_eq "the peer without allowed IPs shows (none)" "$(pub k4)	(none)" "$(wg show $J allowed-ips | grep -F "$(pub k4)")"

gen_conf big >"$T/big.conf"
time_of() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; local r=$?; echo "$(( ($(date +%s%N) - s) / 1000000 ))"; return $r; }
tj="$(time_of wg setconf "$J" "$T/big.conf")"; rj=$?
tg="$(time_of wg setconf "$G" "$T/big.conf")"; rg=$?
check_eq "130 560 allowed IPs via setconf: jwgd accepts (${tj} ms; wireguard-go ${tg} ms)" "0 0" "$rj $rg"
check "130 560 allowed IPs: setconf on jwgd within 60 s" test "$tj" -lt 60000
s=$(date +%s%N); wg show "$J" allowed-ips >"$T/aj"; sj=$(( ($(date +%s%N) - s) / 1000000 ))
s=$(date +%s%N); wg show "$G" allowed-ips >"$T/ag"; sg=$(( ($(date +%s%N) - s) / 1000000 ))
check "130 560 allowed IPs: wg show allowed-ips on jwgd within 10 s (${sj} ms; wireguard-go ${sg} ms)" test "$sj" -lt 10000
check_eq "130 560 allowed IPs: wg show allowed-ips lists 130 561 words (key + prefixes)" "130561" "$(wc -w <"$T/aj")"
tr ' \t' '\n\n' <"$T/aj" | sort >"$T/aj.sorted"
tr ' \t' '\n\n' <"$T/ag" | sort >"$T/ag.sorted"
if cmp -s "$T/aj.sorted" "$T/ag.sorted"; then ok "130 560 allowed IPs: same content as wireguard-go's"; else
    not_ok "130 560 allowed IPs: same content as wireguard-go's"; diff "$T/ag.sorted" "$T/aj.sorted" | head -n 10 | sed 's/^/    # /'; fi
if cmp -s "$T/aj" "$T/ag"; then echo "    # same order as wireguard-go"; else
    echo "    # order differs: wireguard-go starts '$(cut -f2 "$T/ag" | cut -d' ' -f1-3)', jwgd '$(cut -f2 "$T/aj" | cut -d' ' -f1-3)'"
    ORDER_IPS+=("130 560 allowed IPs")
fi
check_eq "130 560 allowed IPs: dump has the same content" "$(wg show "$G" dump | norm dump "$G" | md5sum)" "$(wg show "$J" dump | norm dump "$J" | md5sum)"
both "back to a small config" setconf @IF@ "$T/d.conf"

echo "# --- wg show with no or unknown interface"
check "wg show doesnotexist fails" bash -c '! wg show doesnotexist'
check "wg show lists both interfaces" bash -c "wg show interfaces | tr ' ' '\n' | grep -qx $J && wg show interfaces | tr ' ' '\n' | grep -qx $G"
check "wg show all dump includes jwgd's interface" bash -c "wg show all dump | grep -q '^$J	'"

echo "# --- listen port 0 and the link state"
wg set "$J" listen-port 0
check_eq "jwgd: listen-port 0 while down reads 0" "0" "$(wg show $J listen-port)"
nsx "$NJ" ip link set "$J" up
wait_for 5 bash -c "test \"\$(wg show $J listen-port)\" != 0"
p1="$(wg show $J listen-port)"
check "jwgd: up picks a random port ($p1)" test "$p1" -gt 0
nsx "$NJ" ip link set "$J" down
check "jwgd: down closes the UDP socket" wait_for 10 bash -c "! ip netns exec $NJ ss -Hunl 'sport = :$p1' | grep -q ."
check_eq "jwgd: the chosen port is kept while down (as the kernel and wireguard-go do)" "$p1" "$(wg show $J listen-port)"
nsx "$NJ" ip link set "$J" up
check "jwgd: the UDP socket is open again on that port" wait_for 10 bash -c "ip netns exec $NJ ss -Hunl 'sport = :$p1' | grep -q ."
check_eq "jwgd: and reused when the link comes back up" "$p1" "$(wg show $J listen-port)"
nsx "$NJ" ip link set "$J" down

echo "# --- netns.sh scenario 19: low-order peers with keepalive and endpoint send nothing on up"
low_order=(
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=
    X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=
    7P///////////////////////////////////////38=
    7f///////////////////////////////////////38=
    7v///////////////////////////////////////38=
)
for impl in J G; do
    ifn="${!impl}"; ns="$([ $impl = J ] && echo "$NJ" || echo "$NG")"
    # (wireguard-go already counts as up here, see the header: the capture starts before the set)
    ip netns exec "$ns" timeout 10 tcpdump -n -i lo -l 'udp port 1111' >"$T/lo.$impl" 2>"$T/tcpdump.err" &
    dump=$!
    wait_for 5 grep -q 'listening on' "$T/tcpdump.err" >/dev/null
    wg set "$ifn" private-key "$T/k0" listen-port 0
    for k in "${low_order[@]}"; do wg set "$ifn" peer "$k" persistent-keepalive 1 endpoint 127.0.0.1:1111; done
    nsx "$ns" ip link set "$ifn" up
    sleep 3
    kill "$dump" 2>/dev/null; wait "$dump" 2>/dev/null
    check_eq "$([ $impl = J ] && echo jwgd || echo wireguard-go): nothing sent to 7 low-order peers with keepalive 1 on up" "0" "$(grep -c UDP "$T/lo.$impl")"
    nsx "$ns" ip link set "$ifn" down
done

echo "# same content, different order: allowed IPs in ${#ORDER_IPS[@]} steps${ORDER_IPS:+ (e.g. '${ORDER_IPS[0]}')}," \
    "peers in ${#ORDER_PEERS[@]} steps${ORDER_PEERS:+ (e.g. '${ORDER_PEERS[0]}')}"
finish
