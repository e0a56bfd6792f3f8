package io.github.wschat.tck.autobahn;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The suite's peer for one case: a client over a raw socket that sends exactly the frames a case
 * asks for (any opcode, reserved bits, fragmentation, chopped into pieces), reads what the server
 * answers, and keeps the closing handshake as a careful client would: it answers the server's close
 * frame with its own, then waits a second for the server to drop the connection, which is the
 * server's duty. What it saw is judged by {@link Judge}. One thread sends (the case's script), one
 * reads; fields written by the reader are guarded by this.
 */
final class Fuzzer implements AutoCloseable {

    /** How long the server may take to drop the connection once the closing handshake is done. */
    private static final Duration SERVER_DROP = Duration.ofSeconds(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Thread reader;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Held while a frame is written: the script's, a pong, a close frame never interleave. */
    private final Object writing = new Object();
    private final long startNanos = System.nanoTime();
    private final double timeScale;

    // Guarded by this.
    private final List<Event> received = new ArrayList<>();
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closedByMe;
    private boolean droppedByMe;
    private boolean wasClean;
    private Integer remoteCloseCode;
    private String notClean = "";
    private Runnable onEvent = () -> { };
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode = -1;
    private long finishedNanos;
    /** Whether the message being received came compressed (RSV1 on its first frame). Guarded by this. */
    private boolean messageCompressed;
    /** What the server agreed to in the handshake (its Sec-WebSocket-Extensions), or null. */
    private volatile String agreed;
    private final java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    private java.util.zip.Deflater deflater; // the script's thread only
    /** Why the case failed, as its script found (an echo that differs); null while nothing did. */
    private volatile String failure;
    private volatile boolean unimplemented;

    private Fuzzer(Socket socket, double timeScale) throws IOException {
        this.socket = socket;
        this.timeScale = timeScale;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.reader = new Thread(this::read, "autobahn-fuzzer-reader");
        reader.setDaemon(true);
    }

    /**
     * Connects and completes the opening handshake.
     *
     * @param timeScale how much of each wait of a case to wait (1 = as the suite)
     */
    static Fuzzer open(InetSocketAddress server, String path, double timeScale) throws IOException {
        return open(server, path, timeScale, null);
    }

    /**
     * As {@link #open(InetSocketAddress, String, double)}, offering these extensions (the header's
     * value, e.g. {@code permessage-deflate; client_max_window_bits}), or none for null.
     */
    static Fuzzer open(InetSocketAddress server, String path, double timeScale, String offer) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(server, 10_000);
            socket.setSoTimeout(30_000);
            String key = Base64.getEncoder().encodeToString(RANDOM.generateSeed(16));
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = readHead(socket.getInputStream());
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("the server refused the handshake: " + status.lines().findFirst().orElse(""));
            }
            socket.setSoTimeout(0);
            Fuzzer fuzzer = new Fuzzer(socket, timeScale);
            fuzzer.agreed = status.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25))
                    .map(l -> l.substring(25).trim()).findFirst().orElse(null);
            fuzzer.reader.start();
            return fuzzer;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server hung up during the handshake");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- what a case's script does ----

    /** Sends one frame, masked, as described. */
    void send(Frame frame) throws IOException {
        byte[] bytes = frame.encode(RANDOM);
        try {
            synchronized (writing) {
                if (frame.chop() <= 0) {
                    out.write(bytes);
                    out.flush();
                } else {
                    for (int at = 0; at < bytes.length; at += frame.chop()) {
                        out.write(bytes, at, Math.min(frame.chop(), bytes.length - at));
                        out.flush();
                    }
                }
            }
        } catch (SocketException gone) {
            // The server failed the connection meanwhile: what it answered is judged.
        }
    }

    /**
     * Sends a close frame as the start of the closing handshake (any payload, valid or not), noted
     * before it is written, so that the server's answer is taken as an answer. {@link #send} sends a
     * close frame too, but as a raw frame the fuzzer's state does not follow (case 3.7).
     */
    void sendCloseFrame(Frame close) throws IOException {
        synchronized (this) {
            if (closeSent) {
                return;
            }
            closeSent = true;
            closedByMe = !closeReceived;
        }
        send(close);
    }

    /**
     * Starts one text or binary frame of {@code length} bytes whose payload is written later, in parts
     * ({@link FrameStream#write}), so that a server sees a frame arrive piece by piece.
     */
    FrameStream beginFrame(int opcode, int length) throws IOException {
        byte[] header = Frame.of(opcode, new byte[0]).header(length);
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        synchronized (writing) {
            out.write(header);
            out.write(mask);
            out.flush();
        }
        return new FrameStream(mask);
    }

    /** The payload of a frame begun with {@link #beginFrame}, written in parts, masked as it goes. */
    final class FrameStream {

        private final byte[] mask;
        private int at;

        private FrameStream(byte[] mask) {
            this.mask = mask;
        }

        void write(byte[] part) throws IOException {
            byte[] masked = new byte[part.length];
            for (int i = 0; i < part.length; i++, at++) {
                masked[i] = (byte) (part[i] ^ mask[at & 3]);
            }
            try {
                synchronized (writing) {
                    out.write(masked);
                    out.flush();
                }
            } catch (SocketException gone) {
                // judged as it ends
            }
        }
    }

    /** The extensions the server agreed to, or null for none. */
    String agreed() {
        return agreed;
    }

    /**
     * Sends a message compressed with permessage-deflate as the server agreed (the client's window kept
     * between messages unless the server asked for {@code client_no_context_takeover}), in frames of
     * {@code fragmentSize} compressed bytes where that is positive.
     */
    void sendCompressed(byte[] payload, boolean binary, int fragmentSize) throws IOException {
        String agreement = agreed == null ? "" : agreed;
        if (deflater == null) {
            deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        }
        deflater.setInput(payload);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(payload.length / 2 + 64);
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(buffer, 0, n);
        }
        byte[] body = compressed.toByteArray();
        int length = body.length >= 4 ? body.length - 4 : body.length; // without the trailing 00 00 ff ff
        body = java.util.Arrays.copyOf(body, length);
        if (agreement.contains("client_no_context_takeover")) {
            deflater.reset();
        }
        int opcode = binary ? 2 : 1;
        if (fragmentSize <= 0 || body.length <= fragmentSize) {
            send(Frame.of(opcode, body).rsv(4));
            return;
        }
        for (int at = 0; at < body.length; at += fragmentSize) {
            int end = Math.min(body.length, at + fragmentSize);
            send(Frame.of(at == 0 ? opcode : 0, java.util.Arrays.copyOfRange(body, at, end)).rsv(at == 0 ? 4 : 0)
                    .fin(end == body.length));
        }
    }

    /** The case found the server wrong (for example an echo that differs from what was sent). */
    void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    String failure() {
        return failure;
    }

    /** The server does not offer what the case tests (it declined permessage-deflate). */
    void unimplemented() {
        unimplemented = true;
    }

    boolean isUnimplemented() {
        return unimplemented;
    }

    /** Sends a message as one frame, or in frames of {@code fragmentSize} bytes where that is positive. */
    void sendMessage(byte[] payload, boolean binary, int fragmentSize) throws IOException {
        int opcode = binary ? 2 : 1;
        if (fragmentSize <= 0 || payload.length <= fragmentSize) {
            send(Frame.of(opcode, payload));
            return;
        }
        for (int at = 0; at < payload.length; at += fragmentSize) {
            int end = Math.min(payload.length, at + fragmentSize);
            byte[] part = java.util.Arrays.copyOfRange(payload, at, end);
            send(Frame.of(at == 0 ? opcode : 0, part).fin(end == payload.length));
        }
    }

    /** Starts the closing handshake with this code (and reason), unless it was started. */
    void sendClose(int code, String reason) throws IOException {
        sendCloseFrame(Frame.close(code, reason.getBytes(StandardCharsets.UTF_8)));
    }

    /** Records a point the case reached while the connection was open (the suite's "timeout" events). */
    synchronized void mark(String tag) {
        received.add(Event.timeout(tag));
    }

    /** Whether neither side has started to close, and the connection stands. */
    synchronized boolean isOpen() {
        return !closeSent && !closeReceived && closed.getCount() > 0;
    }

    /** Waits a case's delay, scaled, or less if the connection ends first. */
    void pause(double seconds) throws InterruptedException {
        closed.await(scaled(seconds), TimeUnit.MILLISECONDS);
    }

    long scaled(double seconds) {
        return Math.max(1, Math.round(seconds * 1000 * timeScale));
    }

    /**
     * Waits until {@code done} holds for what was received, or the connection ends, or the time is up;
     * returns whether {@code done} held.
     */
    boolean awaitReceived(java.util.function.Predicate<List<Event>> done, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            while (!done.test(received) && closed.getCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return done.test(received);
        }
    }

    /** Runs {@code action} on the reader's thread after every event received (the suite's onMessage). */
    synchronized void onEvent(Runnable action) {
        this.onEvent = action;
    }

    /** Waits for the connection to end, up to {@code millis}; false if it has not. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Drops the connection without a closing handshake (the suite's "kill"), if it still stands. */
    void kill() {
        synchronized (this) {
            if (closed.getCount() == 0) {
                return;
            }
            droppedByMe = true;
            wasClean = false;
            notClean = "the fuzzer dropped the connection";
        }
        closeQuietly();
    }

    @Override
    public void close() {
        kill();
        synchronized (this) {
            inflater.end();
        }
        if (deflater != null) {
            deflater.end();
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what the server sends ----

    private void read() {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0f;
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if ((second & 0x80) != 0 || length > Integer.MAX_VALUE - 8) {
                    serverBroke("a masked or oversized frame from the server");
                    return;
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length != length) {
                    throw new EOFException();
                }
                rsv1 = (first & 0x40) != 0;
                if (!frame(fin, opcode, payload)) {
                    return;
                }
            }
        } catch (EOFException | SocketException e) {
            ended();
        } catch (IOException e) {
            ended();
        }
    }

    /** Whether the frame being handled has RSV1 set; the reader's thread only. */
    private boolean rsv1;

    /** A compressed message's payload inflated; null if it does not inflate. Called holding this. */
    private byte[] inflate(byte[] body) {
        try {
            if (inflater.finished()) {
                inflater.reset(); // the server ended its last message's stream: each message a stream of its own
            }
            ByteArrayOutputStream inflated = new ByteArrayOutputStream(body.length * 4 + 64);
            drain(body, inflated);
            if (!inflater.finished()) {
                drain(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, inflated);
            }
            return inflated.toByteArray();
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            return null;
        }
    }

    private void drain(byte[] input, ByteArrayOutputStream inflated) throws java.util.zip.DataFormatException {
        inflater.setInput(input);
        byte[] buffer = new byte[32 * 1024];
        while (true) {
            int n = inflater.inflate(buffer);
            inflated.write(buffer, 0, n);
            if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                return;
            }
        }
    }

    /** Handles one frame from the server; false once the connection is done. */
    private boolean frame(boolean fin, int opcode, byte[] payload) throws IOException {
        Runnable told;
        synchronized (this) {
            switch (opcode) {
                case 0x0, 0x1, 0x2 -> {
                    if (opcode != 0) {
                        message.reset();
                        messageOpcode = opcode;
                        messageCompressed = rsv1;
                    }
                    message.writeBytes(payload);
                    if (!fin) {
                        return true;
                    }
                    byte[] whole = messageCompressed ? inflate(message.toByteArray()) : message.toByteArray();
                    message.reset();
                    if (whole == null) {
                        serverBroke("a compressed message that does not inflate");
                        return false;
                    }
                    received.add(Event.message(whole, messageOpcode == 2));
                }
                case 0x9 -> received.add(Event.ping(payload));
                case 0xA -> received.add(Event.pong(payload));
                case 0x8 -> {
                    closeReceived = true;
                    remoteCloseCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : null;
                    boolean answer = !closeSent;
                    closeSent = true;
                    notifyAll();
                    if (answer) {
                        closedByMe = false;
                        byte[] echo = payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0];
                        try {
                            synchronized (writing) {
                                out.write(Frame.close(echo).encode(RANDOM));
                                out.flush();
                            }
                        } catch (IOException gone) {
                            // judged as it ends
                        }
                    }
                    awaitServerDrop();
                    return false;
                }
                default -> {
                    serverBroke("opcode " + opcode + " from the server");
                    return false;
                }
            }
            told = onEvent;
            notifyAll();
        }
        if (opcode == 0x9) {
            try {
                boolean open;
                synchronized (this) {
                    open = !closeSent;
                }
                if (open) {
                    synchronized (writing) {
                        out.write(Frame.of(0xA, payload).encode(RANDOM));
                        out.flush();
                    }
                }
            } catch (IOException gone) {
                // judged as it ends
            }
        }
        told.run();
        return true;
    }

    /** Both close frames are exchanged: the server must drop the connection now. Called holding this. */
    private void awaitServerDrop() {
        try {
            socket.setSoTimeout((int) SERVER_DROP.toMillis());
            while (in.read() >= 0) {
                // anything after the close frame is ignored
            }
            wasClean = true;
        } catch (SocketTimeoutException slow) {
            wasClean = false;
            droppedByMe = true;
            notClean = "the server did not drop the connection within " + SERVER_DROP.toMillis() + " ms of the closing handshake";
        } catch (IOException reset) {
            wasClean = true; // dropped (reset) by the server
        }
        closeQuietly();
        ended();
    }

    private void serverBroke(String what) {
        synchronized (this) {
            notClean = what;
            droppedByMe = true;
        }
        closeQuietly();
        ended();
    }

    private void ended() {
        synchronized (this) {
            if (finishedNanos == 0) {
                finishedNanos = System.nanoTime();
            }
            if (!closeReceived && notClean.isEmpty()) {
                notClean = "the connection was dropped without a closing handshake";
            }
            notifyAll();
        }
        closed.countDown();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** What the case saw, once the connection ended. */
    synchronized Seen seen() {
        return new Seen(List.copyOf(received), closedByMe, droppedByMe, wasClean && closeReceived, remoteCloseCode,
                notClean, TimeUnit.NANOSECONDS.toMillis((finishedNanos == 0 ? System.nanoTime() : finishedNanos) - startNanos),
                failure, unimplemented);
    }

    /**
     * The events and the closing of one case's connection; what its script found wrong ({@code failure},
     * else null), and whether the server declined what the case tests.
     */
    record Seen(List<Event> received, boolean closedByMe, boolean droppedByMe, boolean wasClean, Integer remoteCloseCode,
            String notClean, long millis, String failure, boolean unimplemented) {
    }
}
