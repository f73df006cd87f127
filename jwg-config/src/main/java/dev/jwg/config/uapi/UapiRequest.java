package dev.jwg.config.uapi;

/**
 * One operation read from a UAPI connection by {@link UapiRequestReader#next()}. What the server does
 * with each, as wireguard-go's {@code IpcHandle}:
 * <pre>{@code
 * switch (reader.next()) {
 *     case UapiRequest.Get g -> UapiGetWriter.write(device.snapshot(), out);
 *     case UapiRequest.Set s -> {
 *         int errno = UapiErrno.OK;
 *         try { reader.readSet(device.uapiHandler()); } catch (UapiException e) { errno = e.errno(); }
 *         UapiWriter.writeErrno(out, errno);
 *     }
 *     case UapiRequest.Rejected r -> UapiWriter.writeErrno(out, r.errno());
 *     case UapiRequest.InvalidOperation i -> { log(i); close(); }
 *     case UapiRequest.EndOfStream e -> close();
 * }
 * }</pre>
 * and loop for the next operation until one says close.
 *
 * <p>Immutable.
 */
public sealed interface UapiRequest {
    /** {@code get=1} followed by a blank line: answer with the device state. */
    record Get() implements UapiRequest {}

    /**
     * {@code set=1}: the key/value lines follow on the stream; read them with
     * {@link UapiRequestReader#readSet(UapiSetHandler)} before the next {@link UapiRequestReader#next()}.
     */
    record Set() implements UapiRequest {}

    /**
     * A recognised operation that is malformed ({@code get=1} not followed by an empty line): answer
     * {@code errno=}{@link #errno()} and keep reading, as wireguard-go does.
     *
     * @param errno negative errno to answer, {@link UapiErrno#EINVAL}
     * @param reason for logs
     */
    record Rejected(int errno, String reason) implements UapiRequest {}

    /**
     * The first line is no known operation (wireguard-go logs "invalid UAPI operation"): close the
     * connection without answering.
     *
     * @param excerpt the start of the line, control bytes escaped, safe to log
     */
    record InvalidOperation(String excerpt) implements UapiRequest {}

    /** The peer closed the connection (possibly in the middle of an operation line): close. */
    record EndOfStream() implements UapiRequest {}
}
