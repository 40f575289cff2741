package dev.supervision.sample.web;

import dev.supervision.sample.ChatProperties;
import java.util.Objects;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.Http403ForbiddenEntryPoint;

/**
 * Security: the API, the page, the sockets and actuator reads are open; actuator write operations
 * (the {@code supervisors} endpoint's restart and terminate, and any other POST, PUT or DELETE
 * under {@code /actuator}) need the administrator, over HTTP basic.
 *
 * <p>The administrator's credentials come from {@code chat.admin.username} and {@code
 * chat.admin.password}; there is no built-in default. Without a password, admin operations answer
 * 403 and the log says how to enable them. Sessions are not created and CSRF protection is off: the
 * API takes JSON from any client and authenticates nothing but basic credentials.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
  private static final System.Logger LOG = System.getLogger(SecurityConfiguration.class.getName());
  static final String ADMIN = "ADMIN";

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, ChatProperties properties)
      throws Exception {
    boolean admin = properties.admin().isConfigured();
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .authorizeHttpRequests(
            authorize -> {
              for (HttpMethod method :
                  new HttpMethod[] {
                    HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE
                  }) {
                if (admin) {
                  authorize.requestMatchers(method, "/actuator/**").hasRole(ADMIN);
                } else {
                  authorize.requestMatchers(method, "/actuator/**").denyAll();
                }
              }
              authorize.anyRequest().permitAll();
            });
    if (admin) {
      http.httpBasic(Customizer.withDefaults());
    } else {
      http.exceptionHandling(e -> e.authenticationEntryPoint(new Http403ForbiddenEntryPoint()));
    }
    return http.build();
  }

  /**
   * The administrator, if configured; no user at all otherwise (which also keeps Spring Boot from
   * generating a default password).
   */
  @Bean
  InMemoryUserDetailsManager adminUsers(ChatProperties properties) {
    ChatProperties.Admin admin = properties.admin();
    if (!admin.isConfigured()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "No administrator configured: actuator write operations (restarting or terminating"
              + " supervised children) answer 403. To enable them, set chat.admin.password (and"
              + " optionally chat.admin.username, default 'admin'), e.g. the environment variable"
              + " CHAT_ADMIN_PASSWORD.");
      return new InMemoryUserDetailsManager();
    }
    PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    String password = Objects.requireNonNull(admin.password());
    String stored = password.startsWith("{") ? password : encoder.encode(password);
    UserDetails user =
        User.withUsername(admin.username())
            .password(Objects.requireNonNull(stored))
            .roles(ADMIN)
            .build();
    return new InMemoryUserDetailsManager(user);
  }
}
