package io.github.wschat.boot;

import io.github.wschat.api.AdminConsole;
import io.github.wschat.api.ChatApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.BeanWrapperImpl;

/**
 * The server HTTP API ({@link ChatApi}) in the application's servlet container, at {@code
 * wschat.api.path}: the path below it is the API's, but for {@code /console} (the {@link AdminConsole},
 * with its script and style sheet). A request with a key ({@code Authorization} or {@code X-Api-Key})
 * is the key's; without one, a user the role check accepts calls as that user. Bodies over 64 KiB are
 * refused by the API. Thread-safe.
 */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 64 * 1024 + 1;
    private static final String CONSOLE = "/console";

    private final transient Supplier<ChatApi> api;
    /** Who calls, if a user with the API's role: Spring Security's user; null where no role is set. */
    private final transient Function<HttpServletRequest, Optional<String>> byRole;
    private final String role;

    /**
     * @param byRole the caller a request's user is, if in the API's role; null for keys only
     * @param role that role, for the console's refusal
     */
    ApiServlet(Supplier<ChatApi> api, Function<HttpServletRequest, Optional<String>> byRole, String role) {
        this.api = api;
        this.byRole = byRole;
        this.role = role;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        response.setHeader("Cache-Control", "no-store");
        if (method.equals("GET") && (path.equals(CONSOLE) || path.equals("/" + AdminConsole.SCRIPT)
                || path.equals("/" + AdminConsole.STYLE))) {
            console(request, response, path);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY);
        ChatApi.Request asked = new ChatApi.Request(method, path, request.getQueryString(), request::getHeader, body);
        boolean keyed = request.getHeader("Authorization") != null || request.getHeader("X-Api-Key") != null;
        Optional<String> user = keyed || byRole == null ? Optional.empty() : byRole.apply(request);
        ChatApi.Response answer = user.isPresent() ? api.get().handleAs(user.get(), asked) : api.get().handle(asked);
        write(response, answer.status(), answer.contentType(), answer.body());
    }

    /** The console: for users in the role where one is set (their session calls the API), else for key holders. */
    private void console(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        String base = request.getContextPath() + request.getServletPath();
        AdminConsole console;
        if (byRole == null) {
            console = AdminConsole.withKeys(base);
        } else if (byRole.apply(request).isPresent()) {
            Object csrf = request.getAttribute("_csrf"); // Spring Security's CsrfToken, where CSRF protection is on
            BeanWrapperImpl token = csrf == null ? null : new BeanWrapperImpl(csrf);
            console = AdminConsole.forSession(base, token == null ? null : (String) token.getPropertyValue("headerName"),
                    token == null ? null : (String) token.getPropertyValue("token"));
        } else {
            write(response, 403, "text/plain; charset=utf-8",
                    ("the admin console is for users with the role " + role).getBytes(StandardCharsets.UTF_8));
            return;
        }
        String name = path.substring(1);
        byte[] out = path.equals(CONSOLE) ? console.page() : console.asset(name).orElseThrow();
        response.setHeader("X-Content-Type-Options", "nosniff");
        write(response, 200, AdminConsole.contentType(path.equals(CONSOLE) ? "console.html" : name), out);
    }

    private static void write(HttpServletResponse response, int status, String type, byte[] out) throws IOException {
        response.setStatus(status);
        if (out.length > 0) {
            response.setContentType(type);
            response.setContentLength(out.length);
            response.getOutputStream().write(out);
        }
    }
}
