package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Compression;
import io.github.wschat.spi.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.framing.Framedata;

/**
 * Java-WebSocket's RFC 6455 draft, with the check the library leaves out: every frame from a client
 * must be masked (RFC 6455 section 5.1), else the connection fails with 1002 before the frame is
 * decoded. The draft sees the bytes in whatever pieces the socket delivers, so it follows frame
 * boundaries itself: it reads each frame's header as it passes and skips its payload. With
 * compression on, it negotiates {@code permessage-deflate} ({@link DeflateExtension}) and inflates
 * compressed messages before the library decodes them ({@link InflatingFrames}). One instance
 * per connection ({@link #copyInstance()}); used by that connection's decoder thread only.
 */
final class MaskedFramesOnly extends Draft_6455 {

    private static final int MAX_HEADER = 14;

    private final int maxFrameSize;
    private final Compression compression;
    private final byte[] header = new byte[MAX_HEADER];
    private InflatingFrames inflating;
    private int headerRead;
    private long payloadLeft;

    MaskedFramesOnly(int maxFrameSize, Compression compression) {
        super(compression.enabled() ? List.of(new DeflateExtension(compression)) : Collections.emptyList(),
                maxFrameSize);
        this.maxFrameSize = maxFrameSize;
        this.compression = compression;
    }

    @Override
    public Draft copyInstance() {
        return new MaskedFramesOnly(maxFrameSize, compression);
    }

    /** What the client negotiated, or null for no compression. */
    PerMessageDeflate agreement() {
        return getExtension() instanceof DeflateExtension deflate ? deflate.agreement() : null;
    }

    @Override
    public void reset() {
        super.reset();
        headerRead = 0;
        payloadLeft = 0;
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        checkMasks(buffer.duplicate());
        if (inflating == null) {
            PerMessageDeflate agreement = agreement();
            if (agreement == null) {
                return super.translateFrame(buffer);
            }
            inflating = new InflatingFrames(agreement.newInflater(maxFrameSize), maxFrameSize);
        }
        return super.translateFrame(inflating.translate(buffer));
    }


    private void checkMasks(ByteBuffer bytes) throws InvalidFrameException {
        while (bytes.hasRemaining()) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, bytes.remaining());
                bytes.position(bytes.position() + skip);
                payloadLeft -= skip;
                continue;
            }
            header[headerRead++] = bytes.get();
            if (headerRead == 2 && (header[1] & 0x80) == 0) {
                throw new InvalidFrameException("unmasked client frame"); // 1002
            }
            int length7 = header[1] & 0x7f;
            int needed = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
            if (headerRead >= 2 && headerRead == needed) {
                payloadLeft = payloadLength(length7);
                headerRead = 0;
            }
        }
    }

    private long payloadLength(int length7) {
        if (length7 < 126) {
            return length7;
        }
        int bytes = length7 == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xff);
        }
        return length;
    }
}
