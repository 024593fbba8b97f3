package org.heroesinwaiting.persistence;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.ColumnMapperFactory;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.postgresql.util.PGobject;

/**
 * What every Heroes in Waiting Jdbi needs beyond Jdbi's own Postgres plugin (UUID, inet, java.time):
 * {@code jsonb} to and from {@code jakarta.json} values, and any record mapped from a row by its
 * canonical constructor (columns in snake_case match components in camelCase).
 *
 * <pre>{@code
 * Jdbi jdbi = HeroesJdbi.create(dataSource); // installs it
 * }</pre>
 */
public final class HeroesJdbiPlugin extends JdbiPlugin.Singleton {

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.registerArgument(new JsonArgumentFactory());
        jdbi.registerColumnMapper(new JsonColumnMapperFactory());
        jdbi.registerRowMapper(new RecordMapperFactory());
    }

    /** Binds a {@code JsonValue} (object, array, ...) as {@code jsonb}. */
    private static final class JsonArgumentFactory extends AbstractArgumentFactory<JsonValue> {
        JsonArgumentFactory() {
            super(Types.OTHER);
        }

        @Override
        protected Argument build(JsonValue value, ConfigRegistry config) {
            return (position, statement, context) -> {
                PGobject json = new PGobject();
                json.setType("jsonb");
                try {
                    json.setValue(value.toString());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                statement.setObject(position, json);
            };
        }
    }

    /** Reads a {@code json} or {@code jsonb} column as the {@code jakarta.json} type asked for. */
    private static final class JsonColumnMapperFactory implements ColumnMapperFactory {
        @Override
        public Optional<ColumnMapper<?>> build(Type type, ConfigRegistry config) {
            Class<?> raw = GenericTypes.getErasedType(type);
            if (raw != JsonObject.class && raw != JsonArray.class && raw != JsonStructure.class && raw != JsonValue.class) {
                return Optional.empty();
            }
            return Optional.of((rs, column, context) -> {
                String text = rs.getString(column);
                if (text == null) {
                    return null;
                }
                try (JsonReader reader = Json.createReader(new StringReader(text))) {
                    JsonValue value = reader.readValue();
                    if (!raw.isInstance(value)) {
                        throw new SQLException("column " + column + " holds " + value.getValueType() + ", not " + raw.getSimpleName());
                    }
                    return value;
                }
            });
        }
    }

    /** Any record, by its canonical constructor. */
    private static final class RecordMapperFactory implements RowMapperFactory {
        @Override
        public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
            Class<?> raw = GenericTypes.getErasedType(type);
            if (!raw.isRecord()) {
                return Optional.empty();
            }
            return Optional.of(ConstructorMapper.of(raw));
        }
    }
}
