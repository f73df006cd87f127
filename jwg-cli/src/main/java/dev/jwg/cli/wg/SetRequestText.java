package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.UapiSetText;
import dev.jwg.core.routing.IpAddresses;

/**
 * A {@link DeviceUpdate} as the body of the set request {@code wg} sends (ipc-uapi.h's
 * {@code userspace_set_device}), spelled as {@code wg} spells it: addresses as {@code inet_ntop}
 * writes them, endpoints as {@code getnameinfo} does, a removal {@code allowed_ip=-addr/len}.
 * The rendering itself is {@link UapiSetText}. Stateless.
 */
final class SetRequestText {
    private SetRequestText() {}

    /** The body for {@code update}: {@code key=value\n} lines, without the terminating blank line. */
    static String body(DeviceUpdate update) {
        return UapiSetText.body(update, EndpointText::endpoint, p -> IpAddresses.formatInetNtop(p.address()) + "/" + p.bits());
    }

    /** The whole request as it goes over the socket: {@code set=1}, the body, a blank line. */
    static String request(DeviceUpdate update) {
        return "set=1\n" + body(update) + "\n";
    }
}
