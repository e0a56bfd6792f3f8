package io.github.wschat.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The chat's settings, from {@code wschat.*} properties; every default is {@code ChatServer}'s own. A
 * value the chat refuses stops the application at start, with the property named. Spring binds it
 * once, before the chat starts; not thread-safe, and not read again after the start.
 */
@ConfigurationProperties("wschat")
public class WschatProperties {

    /** Whether the chat runs at all. */
    private boolean enabled = true;

    /**
     * Where the rooms are: this path is the default room, PATH/NAME room NAME; mounted in the servlet
     * container (within the application's context path), or on the chat's own port. Pages served as
     * static files connect to /chat unless told otherwise (the page's wschat-path meta tag).
     */
    private String path = "/chat";

    /**
     * The transport: "jakarta" mounts the chat in this application's servlet container, on its port; the
     * name of another transport on the class path ("netty" with io.github.wschat:chat-transport-netty,
     * "java-websocket") runs it on a port of its own, wschat.port.
     */
    private String transport = "jakarta";

    /** With a transport of its own: the chat's port; 0 for any free one (published as local.wschat.port). */
    private int port;

    /** With a transport of its own: the interface to bind, e.g. 127.0.0.1; default all. */
    private String address;

    /**
     * With a transport of its own: the chat's URL as browsers reach it (wss://chat.example.com/chat behind
     * a proxy that ends TLS); default ws:// on the host the page came from and wschat.port.
     */
    private String publicUrl;

    /**
     * Browser origins that may open the chat (scheme://host[:port]): "same-origin" for the pages
     * this application serves, on whatever host and port it is reached; "*" for any.
     */
    private List<String> allowedOrigins = new ArrayList<>(List.of("same-origin"));

    /** Recent lines a joiner gets; 0 for none. */
    private int history = 50;

    /** At most how much text a room's history keeps in this node's memory; the oldest lines go first. */
    private DataSize historyBytes = DataSize.ofKilobytes(256);

    /** At most how much text the histories of all rooms keep together on this node. */
    private DataSize historyBytesTotal = DataSize.ofMegabytes(64);

    /** Whether joins are announced to the room. */
    private boolean announceJoins = true;

    /** How long a member whose last tab or device went stays, away, for one to come back before its leave. */
    private Duration leaveGrace = Duration.ZERO;

    /** Open connections at most; a handshake over it is refused with 503. */
    private int maxConnections = 10_000;

    /** Open connections from one address at most; a handshake over it is refused with 429. */
    private int maxConnectionsPerAddress = 100;

    /** Open connections (tabs, devices) of one identified user at most, on this node; more are refused with 429. */
    private int maxConnectionsPerIdentity = 10;

    /** Rooms at most; a handshake that would open one more is refused with 503. */
    private int maxRooms = 1_000;

    /** The largest message a client may send, in UTF-8 bytes; a larger one closes it with 1009. */
    private int maxMessageBytes = 64 * 1024;

    /** Bytes that may wait for one member before it is dropped as too slow (1008). */
    private long maxQueuedBytes = 1024 * 1024;

    /**
     * permessage-deflate for clients that offer it: "shared" compresses each line once for the room,
     * "dedicated" keeps a window per member, "off" declines. Mounted in the servlet container (jakarta),
     * "dedicated" lets the container compress per member, and "shared" declines (the Jakarta API
     * cannot share a frame).
     */
    private String compression = "shared";

    /** How often each member is pinged; a peer that answers none for one and a half is closed. 0 for never. */
    private Duration pingInterval = Duration.ofSeconds(30);

    /** The wire formats clients may choose by subprotocol: "plain" (no subprotocol) and "json" (wschat.v1.json). */
    private List<String> formats = new ArrayList<>(List.of("plain", "json"));

    /** The role whose members may kick, mute and ban; with Spring Security, an authority of the user. */
    private String operatorRole = "operator";

    /**
     * Mounted in the servlet container (the jakarta transport): let the container batch each member's
     * messages, flushed once the member's queue is empty, so that lines arriving together leave in
     * fewer writes (in a busy room a third to a half of the CPU per delivery). Off by default: on Tomcat a
     * protocol error right behind a large batched message loses its close frame.
     */
    private boolean batching;

    /** @return whether the container batches each member's messages */
    public boolean isBatching() {
        return batching;
    }

    /** @param batching whether the container batches each member's messages */
    public void setBatching(boolean batching) {
        this.batching = batching;
    }

    /** Lines each member may send. */
    private final Rate rate = new Rate();

    /** Redis, to make this application a node of a cluster: rooms span every node on it. */
    private final Redis redis = new Redis();

    /** With Spring Security: who may chat. */
    private final Security security = new Security();

    /** The server HTTP API (io.github.wschat:chat-http-api; docs/API.md). */
    private final Api api = new Api();

    /** HTTP hooks: the application's backend, in any language, decides who enters and which lines pass (chat-http-api). */
    private final Hooks hooks = new Hooks();

    /**
     * Where every line is kept beyond memory, for paging back, resuming and forgetting: "none", "memory"
     * (this process, while it runs) or "jdbc" (the application's DataSource, with io.github.wschat:chat-history-jdbc;
     * its tables migrated by the chat's own Flyway history table, wschat_schema_history).
     */
    private String historyStore = "none";

    /** How long the history store keeps lines; 0 keeps them until forgotten. */
    private Duration historyRetention = Duration.ZERO;

    /** @return the history store */
    public String getHistoryStore() {
        return historyStore;
    }

    /** @param historyStore the history store */
    public void setHistoryStore(String historyStore) {
        this.historyStore = historyStore;
    }

    /** @return the history retention */
    public Duration getHistoryRetention() {
        return historyRetention;
    }

    /** @param historyRetention the history retention */
    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    /** @return whether the chat is mounted */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the chat is mounted */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return where the rooms are */
    public String getPath() {
        return path;
    }

    /** @param path where the rooms are */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the transport's name */
    public String getTransport() {
        return transport;
    }

    /** @param transport the transport's name */
    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** @return the chat's own port */
    public int getPort() {
        return port;
    }

    /** @param port the chat's own port */
    public void setPort(int port) {
        this.port = port;
    }

    /** @return the interface the chat's own port is bound on, or null for all */
    public String getAddress() {
        return address;
    }

    /** @param address the interface the chat's own port is bound on */
    public void setAddress(String address) {
        this.address = address;
    }

    /** @return the chat's URL as browsers reach it, or null */
    public String getPublicUrl() {
        return publicUrl;
    }

    /** @param publicUrl the chat's URL as browsers reach it */
    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** Whether the chat is mounted in the servlet container rather than on a port of its own. */
    boolean mounted() {
        return MOUNTED.equals(transport);
    }

    /** The {@link #getTransport() transport} that mounts the chat in the servlet container. */
    static final String MOUNTED = "jakarta";

    /** @return the allowed origins */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /** @param allowedOrigins the allowed origins */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** @return the lines of history a joiner gets */
    public int getHistory() {
        return history;
    }

    /** @return the bytes of history per room */
    public DataSize getHistoryBytes() {
        return historyBytes;
    }

    /** @param historyBytes the bytes of history per room */
    public void setHistoryBytes(DataSize historyBytes) {
        this.historyBytes = historyBytes;
    }

    /** @return the bytes of history over all rooms */
    public DataSize getHistoryBytesTotal() {
        return historyBytesTotal;
    }

    /** @param historyBytesTotal the bytes of history over all rooms */
    public void setHistoryBytesTotal(DataSize historyBytesTotal) {
        this.historyBytesTotal = historyBytesTotal;
    }

    /** @param history the lines of history a joiner gets */
    public void setHistory(int history) {
        this.history = history;
    }

    /** @return whether joins are announced */
    public boolean isAnnounceJoins() {
        return announceJoins;
    }

    /** @param announceJoins whether joins are announced */
    public void setAnnounceJoins(boolean announceJoins) {
        this.announceJoins = announceJoins;
    }

    /** @return the most open connections */
    public int getMaxConnections() {
        return maxConnections;
    }

    /** @param maxConnections the most open connections */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @return the most open connections from one address */
    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** @return the leave grace */
    public Duration getLeaveGrace() {
        return leaveGrace;
    }

    /** @param leaveGrace the leave grace */
    public void setLeaveGrace(Duration leaveGrace) {
        this.leaveGrace = leaveGrace;
    }

    /** @return the most open connections of one user */
    public int getMaxConnectionsPerIdentity() {
        return maxConnectionsPerIdentity;
    }

    /** @param maxConnectionsPerIdentity the most open connections of one user */
    public void setMaxConnectionsPerIdentity(int maxConnectionsPerIdentity) {
        this.maxConnectionsPerIdentity = maxConnectionsPerIdentity;
    }

    /** @param maxConnectionsPerAddress the most open connections from one address */
    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    /** @return the most rooms */
    public int getMaxRooms() {
        return maxRooms;
    }

    /** @param maxRooms the most rooms */
    public void setMaxRooms(int maxRooms) {
        this.maxRooms = maxRooms;
    }

    /** @return the largest message, in bytes */
    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    /** @param maxMessageBytes the largest message, in bytes */
    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** @return off, shared or dedicated */
    public String getCompression() {
        return compression;
    }

    /** @param compression off, shared or dedicated */
    public void setCompression(String compression) {
        this.compression = compression;
    }

    /** @return the bytes that may wait for one member */
    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** @param maxQueuedBytes the bytes that may wait for one member */
    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** @return how often members are pinged */
    public Duration getPingInterval() {
        return pingInterval;
    }

    /** @param pingInterval how often members are pinged */
    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    /** @return the wire formats by name */
    public List<String> getFormats() {
        return formats;
    }

    /** @param formats the wire formats by name */
    public void setFormats(List<String> formats) {
        this.formats = formats;
    }

    /** @return the operators' role */
    public String getOperatorRole() {
        return operatorRole;
    }

    /** @param operatorRole the operators' role */
    public void setOperatorRole(String operatorRole) {
        this.operatorRole = operatorRole;
    }

    /** @return the rate of lines */
    public Rate getRate() {
        return rate;
    }

    /** @return the Redis settings */
    public Redis getRedis() {
        return redis;
    }

    /** @return the Spring Security settings */
    public Security getSecurity() {
        return security;
    }

    /** @return the server HTTP API's settings */
    public Api getApi() {
        return api;
    }

    /** @return the HTTP hooks' settings */
    public Hooks getHooks() {
        return hooks;
    }

    /**
     * HTTP hooks (io.github.wschat:chat-http-api; docs/API.md): a backend asked, by a signed POST, who may
     * enter which room and what becomes of each line.
     */
    public static class Hooks {

        /** Ask this URL who may enter which room (HttpJoinHook); a refused member is closed with 4000 + status. */
        private java.net.URI joinUrl;

        /** Ask this URL about every line before it is placed (HttpLineFilter): accept, rewrite or refuse. */
        private java.net.URI lineFilterUrl;

        /** The secret the hooks' requests are signed with (16 characters or more), which the backend checks. */
        private String secret;

        /** How long the backend has to answer. */
        private Duration timeout = Duration.ofMillis(1500);

        /** Let members in and lines through when the backend fails, is late, or its breaker is open; refused by default. */
        private boolean failOpen;

        /** @return the join hook's URL, or null */
        public java.net.URI getJoinUrl() {
            return joinUrl;
        }

        /** @param joinUrl the join hook's URL */
        public void setJoinUrl(java.net.URI joinUrl) {
            this.joinUrl = joinUrl;
        }

        /** @return the line filter's URL, or null */
        public java.net.URI getLineFilterUrl() {
            return lineFilterUrl;
        }

        /** @param lineFilterUrl the line filter's URL */
        public void setLineFilterUrl(java.net.URI lineFilterUrl) {
            this.lineFilterUrl = lineFilterUrl;
        }

        /** @return the signing secret, or null */
        public String getSecret() {
            return secret;
        }

        /** @param secret the signing secret */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** @return how long the backend has */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long the backend has */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return whether to let through what the backend could not decide */
        public boolean isFailOpen() {
            return failOpen;
        }

        /** @param failOpen whether to let through what the backend could not decide */
        public void setFailOpen(boolean failOpen) {
            this.failOpen = failOpen;
        }
    }

    /**
     * The server HTTP API on the application's port (needs io.github.wschat:chat-http-api): rooms,
     * members, history, notices, moderation and forgetting, behind API keys (docs/API.md).
     */
    public static class Api {

        /** Whether to serve the server HTTP API (needs chat-http-api). Off by default: it can kick, ban and erase history. */
        private boolean enabled;

        /** Where the server HTTP API is served, on the application's port. */
        private String path = "/wschat-api";

        /** The server HTTP API's keys, by name (each at least 16 characters); the name is logged for each write. */
        private java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();

        /**
         * With Spring Security: users with this role (named as the chat names roles: ROLE_OPERATOR is
         * "operator") call the API without a key, as themselves, and alone get the admin console at
         * PATH/console. Unset: keys only, and the console asks for one.
         */
        private String role;

        /** @return the role whose users call the API without a key, or null */
        public String getRole() {
            return role;
        }

        /** @param role the role whose users call the API without a key */
        public void setRole(String role) {
            this.role = role;
        }

        /** @return whether the API is served */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the API is served */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return where it is served */
        public String getPath() {
            return path;
        }

        /** @param path where it is served, starting with / */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the keys by name */
        public java.util.Map<String, String> getKeys() {
            return keys;
        }

        /** @param keys the keys by name */
        public void setKeys(java.util.Map<String, String> keys) {
            this.keys = keys;
        }
    }

    /**
     * With Spring Security on the class path: the member is the authenticated user of the upgrade request.
     * Without it, and with a key under {@code jwt} (and io.github.wschat:chat-auth-jwt): the member is who
     * a JSON Web Token says.
     */
    public static class Security {

        /** Whether a request without an authenticated user may chat (under a nickname of its own); else 401. */
        private boolean allowAnonymous;

        /** JSON Web Tokens from the application's backend, where Spring Security is absent. */
        private final Jwt jwt = new Jwt();

        /** @return the JWT settings */
        public Jwt getJwt() {
            return jwt;
        }

        /** @return whether anonymous chat is allowed */
        public boolean isAllowAnonymous() {
            return allowAnonymous;
        }

        /** @param allowAnonymous whether anonymous chat is allowed */
        public void setAllowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
        }
    }

    /**
     * Members identified by JSON Web Tokens (needs io.github.wschat:chat-auth-jwt; without Spring Security):
     * one of secret, public-key and jwks-uri. The token comes in {@code ?token=} or the subprotocol
     * {@code wschat.token.JWT}.
     */
    public static class Jwt {

        /** The HS256/384/512 shared secret, 32 bytes or more. */
        private String secret;

        /** The RS256 or ES256 public key, as PEM text (-----BEGIN PUBLIC KEY-----). */
        private String publicKey;

        /** The JSON Web Key Set's URL: fetched, cached, fetched again for a key id it does not hold. */
        private String jwksUri;

        /** The iss every token must have; not checked if unset. */
        private String issuer;

        /** A value every token's aud must hold; not checked if unset. */
        private String audience;

        /** How far the clocks of the token's signer and the chat may differ, for exp and nbf. */
        private Duration clockSkew = Duration.ofSeconds(60);

        /** The claim that holds the member's roles. */
        private String rolesClaim = "roles";

        /** The claim that holds the member's nickname (else sub). */
        private String nameClaim = "name";

        /** @return the secret */
        public String getSecret() {
            return secret;
        }

        /** @param secret the secret */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** @return the PEM public key */
        public String getPublicKey() {
            return publicKey;
        }

        /** @param publicKey the PEM public key */
        public void setPublicKey(String publicKey) {
            this.publicKey = publicKey;
        }

        /** @return the JWKS URL */
        public String getJwksUri() {
            return jwksUri;
        }

        /** @param jwksUri the JWKS URL */
        public void setJwksUri(String jwksUri) {
            this.jwksUri = jwksUri;
        }

        /** @return the issuer */
        public String getIssuer() {
            return issuer;
        }

        /** @param issuer the issuer */
        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        /** @return the audience */
        public String getAudience() {
            return audience;
        }

        /** @param audience the audience */
        public void setAudience(String audience) {
            this.audience = audience;
        }

        /** @return the clock skew */
        public Duration getClockSkew() {
            return clockSkew;
        }

        /** @param clockSkew the clock skew */
        public void setClockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
        }

        /** @return the roles claim */
        public String getRolesClaim() {
            return rolesClaim;
        }

        /** @param rolesClaim the roles claim */
        public void setRolesClaim(String rolesClaim) {
            this.rolesClaim = rolesClaim;
        }

        /** @return the nickname claim */
        public String getNameClaim() {
            return nameClaim;
        }

        /** @param nameClaim the nickname claim */
        public void setNameClaim(String nameClaim) {
            this.nameClaim = nameClaim;
        }
    }

    /** Lines each member may send: a burst at once, then so many a second; a sustained flood closes it (1008). */
    public static class Rate {

        /** Lines a second each member may send. */
        private double perSecond = 20;

        /** Lines a member may send at once. */
        private int burst = 40;

        /** @return lines a second */
        public double getPerSecond() {
            return perSecond;
        }

        /** @param perSecond lines a second */
        public void setPerSecond(double perSecond) {
            this.perSecond = perSecond;
        }

        /** @return lines at once */
        public int getBurst() {
            return burst;
        }

        /** @param burst lines at once */
        public void setBurst(int burst) {
            this.burst = burst;
        }
    }

    /** Redis, to make this application a node of a cluster (needs io.github.wschat:chat-broker-redis). */
    public static class Redis {

        /** The Redis to share rooms through, e.g. redis://127.0.0.1:6379 (rediss:// for TLS, redis-sentinel://). */
        private String uri;

        /** How long a node's members outlive it: a dead node's members are announced as left within about two. */
        private Duration lease = Duration.ofSeconds(10);

        /** How long a room's keys stay in Redis after its last member left; a room back later is a new epoch. */
        private Duration roomRetention = Duration.ofHours(1);

        /** At most how many bytes of events each room's stream keeps in Redis; the oldest go first. */
        private DataSize streamBytes = DataSize.ofMegabytes(1);

        /** @return the Redis URI, or null */
        public String getUri() {
            return uri;
        }

        /** @param uri the Redis URI */
        public void setUri(String uri) {
            this.uri = uri;
        }

        /** @return the lease */
        public Duration getLease() {
            return lease;
        }

        /** @param lease the lease */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** @return the room retention */
        public Duration getRoomRetention() {
            return roomRetention;
        }

        /** @param roomRetention the room retention */
        public void setRoomRetention(Duration roomRetention) {
            this.roomRetention = roomRetention;
        }

        /** @return the stream's bytes per room */
        public DataSize getStreamBytes() {
            return streamBytes;
        }

        /** @param streamBytes the stream's bytes per room */
        public void setStreamBytes(DataSize streamBytes) {
            this.streamBytes = streamBytes;
        }
    }
}
