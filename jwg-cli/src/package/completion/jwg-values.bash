
# ---------------------------------------------------------------------------------------------
# jwg's own part, appended by bin/package to what picocli generated above from jwg's command model
# (subcommands and options). Picocli completes only what the model knows when the package is
# built; the values below exist only at run time, so they are computed here, with shell builtins
# and no process started (a completion should be instant):
#   - interface names: the daemons' sockets in /var/run/wireguard and the records of `jwg up` in
#     /run/jwg, for show, showconf, set, setconf, addconf, syncconf, down, save;
#   - `jwg up` and `strip`: the wg-quick files of /etc/wireguard by interface name, and file names;
#   - `show IF`: the fields wg(8) knows; `set IF`: wg's keywords.

_jwg_interfaces() {
    local f name seen=" "
    for f in /var/run/wireguard/*.sock /run/jwg/*.state; do
        [ -e "$f" ] || continue
        name="${f##*/}"
        name="${name%.*}"
        case "$seen" in *" $name "*) continue ;; esac
        seen+="$name "
        printf '%s\n' "$name"
    done
}

_jwg_wg_quick_names() {
    local f
    for f in /etc/wireguard/*.conf; do
        [ -e "$f" ] || continue
        f="${f##*/}"
        printf '%s\n' "${f%.conf}"
    done
}

_jwg() {
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd="${COMP_WORDS[1]:-}" i n=0 words=""
    if [ "$COMP_CWORD" -ge 2 ] && [[ "$cur" != -* ]]; then
        for ((i = 2; i < COMP_CWORD; i++)); do
            [[ "${COMP_WORDS[i]}" == -* ]] || n=$((n + 1))
        done
        case "$cmd:$n" in
            show:0) words="$(_jwg_interfaces)"$'\n'"all"$'\n'"interfaces" ;;
            show:1) words="public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips"
                words+=" latest-handshakes persistent-keepalive transfer dump" ;;
            showconf:0 | set:0 | setconf:0 | addconf:0 | syncconf:0 | down:0 | save:0) words="$(_jwg_interfaces)" ;;
            up:0 | strip:0) words="$(_jwg_wg_quick_names)" ;;
            set:*) words="listen-port fwmark private-key peer remove preshared-key endpoint persistent-keepalive allowed-ips" ;;
        esac
        if [ -n "$words" ]; then
            local IFS=$' \t\n'
            COMPREPLY=($(compgen -W "$words" -- "$cur"))
            case "$cmd" in
                up | strip | down | save) COMPREPLY+=($(compgen -f -- "$cur")) ;;
            esac
            return 0
        fi
    fi
    _complete_jwg "$@"
}

complete -F _jwg -o default jwg
