package dev.meridian.proxy.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects what one logger (and its children) logs while open; safe to read while they log. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    record Line(Level level, String message) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new Line(event.getLevel(), event.getFormattedMessage()));
    }

    /** The lines at {@code level} containing {@code text}. */
    List<Line> matching(Level level, String text) {
        return lines.stream().filter(l -> l.level().equals(level) && l.message().contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
