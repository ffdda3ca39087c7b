package io.chainring.controller.admin;

import io.chainring.observability.AdminToken;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.Unauthorized;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the controller's state-changing admin calls with the {@link AdminToken}: a call without
 * the right token is refused ({@code Unauthorized}); a controller started without a token
 * refuses every change (reads stay open).
 */
public final class AdminGate {
    private static final Logger LOG = LoggerFactory.getLogger(AdminGate.class);

    private final Optional<AdminToken> token;

    private AdminGate(Optional<AdminToken> token) {
        this.token = token;
    }

    public static AdminGate none() {
        return new AdminGate(Optional.empty());
    }

    /** @throws IllegalArgumentException when the token is not acceptable ({@link AdminToken#of}) */
    public static AdminGate of(Optional<String> token) {
        return new AdminGate(token.map(AdminToken::of));
    }

    public boolean isConfigured() {
        return token.isPresent();
    }

    public void check(String given, String call) throws Unauthorized {
        if (token.isEmpty()) {
            throw new Unauthorized(ErrorCode.UNAUTHORIZED, call + " changes the cluster and this controller has no admin "
                    + "token configured (start it with --admin-token or $CHAINRING_ADMIN_TOKEN)");
        }
        if (!token.get().matches(given)) {
            LOG.warn("refused {}: wrong or missing admin token", call);
            throw new Unauthorized(ErrorCode.UNAUTHORIZED, call + " refused: wrong or missing admin token");
        }
    }

    @Override
    public String toString() {
        return token.isPresent() ? "admin token set" : "no admin token";
    }
}
