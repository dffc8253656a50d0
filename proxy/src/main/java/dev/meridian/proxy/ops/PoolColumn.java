package dev.meridian.proxy.ops;

import java.util.function.Function;

/**
 * A column of SHOW POOLS computed from its row, so a feature can add one (or replace one of the
 * same name, such as {@code pool_mode}) without touching the console: {@link PoolColumns#plug}.
 */
public record PoolColumn(String name, Function<PoolRow, String> value) {
}
