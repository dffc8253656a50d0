package dev.meridian.proxy.backend;

import dev.meridian.protocol.message.BackendKeyData;
import dev.meridian.protocol.message.NoticeResponse;
import dev.meridian.protocol.message.ParameterStatus;
import dev.meridian.protocol.message.ReadyForQuery;
import dev.meridian.proxy.config.BackendConfig;
import io.netty.channel.Channel;
import java.util.List;

/**
 * A backend connection that finished login: authenticated, parameters known, ReadyForQuery seen.
 * Its pipeline still holds the login decoder until a relay takes the channel over.
 */
public record BackendConnection(Channel channel, BackendConfig backend, List<ParameterStatus> parameters,
                                BackendKeyData keyData, List<NoticeResponse> notices, ReadyForQuery status) {
    public BackendConnection {
        parameters = List.copyOf(parameters);
        notices = List.copyOf(notices);
    }
}
