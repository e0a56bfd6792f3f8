package io.github.wschat.transport.jakarta;

import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission before the upgrade: the servlet at the mount's patterns builds the {@link Handshake},
 * asks the attached server, answers a refusal with its status and reason, and upgrades the rest
 * itself with {@link ServerContainer#upgradeHttpToWebSocket}. No endpoint is registered with the
 * container, so nothing can upgrade a request at these patterns without being admitted.
 */
final class UpgradeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(UpgradeServlet.class);
    private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";

    private final transient Supplier<MountedServer> attached;

    UpgradeServlet(Supplier<MountedServer> attached) {
        this.attached = attached;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!"GET".equals(request.getMethod()) || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            response.setHeader("Upgrade", "websocket");
            answer(response, 426, "a WebSocket endpoint: connect with a WebSocket client");
            return;
        }
        MountedServer server = attached.get();
        if (server == null || !server.isRunning()) {
            answer(response, 503, "the chat server is not running");
            return;
        }
        Object container = request.getServletContext().getAttribute(SERVER_CONTAINER);
        if (!(container instanceof ServerContainer serverContainer)) {
            log.error("No {} in the web application: is the container's WebSocket support enabled?", SERVER_CONTAINER);
            answer(response, 500, "WebSocket support is not enabled in this container");
            return;
        }
        server.seen(new InetSocketAddress(request.getLocalAddr(), request.getLocalPort()));
        Handshake handshake = handshakeOf(request);
        Admission admission = server.admit(handshake);
        if (!admission.accepted()) {
            log.debug("Refused {}: {} {}", handshake, admission.status(), admission.reason());
            answer(response, admission.status(), admission.reason());
            return;
        }
        try {
            serverContainer.upgradeHttpToWebSocket(request, response,
                    server.endpointConfig(handshake, admission.subprotocol(), request.getRequestURI()), Map.of());
        } catch (DeploymentException e) {
            log.warn("The container refused to upgrade {}", handshake, e);
            if (!response.isCommitted()) {
                answer(response, 500, "upgrade failed");
            }
        }
    }

    private static void answer(HttpServletResponse response, int status, String reason) throws IOException {
        byte[] body = (reason.replaceAll("[\\r\\n]", " ") + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The path within the web application, as sent (not decoded), so that room paths keep their meaning. */
    private static Handshake handshakeOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        if (path.isEmpty()) {
            path = "/";
        }
        String query = request.getQueryString();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        InetSocketAddress remote = new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort());
        return Handshake.of(query == null ? path : path + "?" + query, headers, remote);
    }
}
