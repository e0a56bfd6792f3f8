package io.github.wschat.examples.security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The chat behind a login form: the page needs a logged-in user, and the chat knows who it is. The
 * starter does the chat's part: with Spring Security present, each member is the user of the upgrade
 * request (nickname and identity from the user's name, roles from its authorities: {@code ROLE_OPERATOR}
 * may kick, mute and ban), and a request without a user is refused with 401. The chat's path is open
 * in the filter chain so that this refusal, not a redirect to the login form, is what a client sees.
 *
 * <p>The users are in memory with their passwords in the clear: a demonstration, not a way to keep
 * users. Run it with {@code java -jar}, open {@code http://localhost:8080/}, log in as {@code alice}
 * {@code bob} or {@code carol} (password {@code chat}); alice, an operator, also has the admin console at
 * {@code http://localhost:8080/wschat-api/console}.
 */
@SpringBootApplication
public class SecureChatApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(SecureChatApplication.class, args);
    }

    /**
     * Everything but the chat's path and the API needs a login, by Spring's own form: the chat and the
     * API answer a client without one themselves (401), the API by key or by the operator role. The
     * admin console needs a login (the form, then the console). CSRF protection stays on for the
     * API's session callers (the console sends the token); a request with a bearer or API key header
     * cannot be forged by another site's page (browsers never add those by themselves), so those pass.
     */
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/chat", "/chat/**").permitAll()
                        .requestMatchers("/wschat-api/console").authenticated()
                        .requestMatchers("/wschat-api/**").permitAll()
                        .anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> request.getHeader("X-Api-Key") != null
                        || request.getHeader("Authorization") != null && request.getHeader("Authorization").startsWith("Bearer ")))
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    /** Three users; alice is an operator. */
    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}chat").roles("USER", "OPERATOR").build(),
                User.withUsername("bob").password("{noop}chat").roles("USER").build(),
                User.withUsername("carol").password("{noop}chat").roles("USER").build());
    }
}
