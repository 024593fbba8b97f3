package org.heroesinwaiting.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every schema object of the OpenAPI file uses only JSON Schema 2020-12 and OpenAPI 3.1 keywords.
 * swagger-parser accepts unknown keys silently, so a YAML slip (an unquoted comma in a flow
 * mapping's description turns the rest into a key of its own) passes it; an independent linter
 * then reports a schema with a keyword {@code not expired).}. This walks the raw YAML instead.
 */
class OpenApiSchemaKeywordsTest {

    private static final Set<String> KEYWORDS = Set.of(
            "$ref", "$id", "$schema", "$anchor", "$defs", "$comment", "$dynamicRef", "$dynamicAnchor",
            "type", "format", "title", "description", "default", "examples", "example", "enum", "const",
            "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
            "maxLength", "minLength", "pattern", "contentMediaType", "contentEncoding", "contentSchema",
            "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "contains", "items", "prefixItems",
            "unevaluatedItems", "maxProperties", "minProperties", "required", "dependentRequired", "dependentSchemas",
            "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames",
            "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "readOnly", "writeOnly", "deprecated", "discriminator", "xml", "externalDocs");

    private static final Set<String> SUBSCHEMA = Set.of("items", "contains", "not", "if", "then", "else", "additionalProperties",
            "unevaluatedProperties", "unevaluatedItems", "propertyNames", "contentSchema");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "dependentSchemas");

    private static JsonNode document() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(OpenApiController.load());
    }

    @Test
    void everySchemaObjectUsesOnlySchemaKeywords() throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode root = document();
        fields(root.path("components").path("schemas")).forEach(entry ->
                schema(entry.getValue(), "/components/schemas/" + entry.getKey(), problems));
        findSchemas(root.path("paths"), "/paths", problems);
        findSchemas(root.path("components").path("parameters"), "/components/parameters", problems);
        findSchemas(root.path("components").path("responses"), "/components/responses", problems);

        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckFindsTheSlipThatSwaggerParserMissed() throws IOException {
        JsonNode slipped = new ObjectMapper(new YAMLFactory()).readTree("""
                type: object
                properties:
                  student_count: { type: integer, description: Live student sessions (not ended, not expired). }
                  name: 3
                """);
        List<String> problems = new ArrayList<>();

        schema(slipped, "/x", problems);

        assertThat(problems).containsExactly(
                "/x/properties/student_count: unknown keyword 'not expired).'",
                "/x/properties/name: a schema must be an object, not 3");
    }

    /** Every value under a key named {@code schema}, wherever it appears (parameters, bodies, responses). */
    private static void findSchemas(JsonNode node, String pointer, List<String> problems) {
        if (node.isObject()) {
            fields(node).forEach(entry -> {
                String at = pointer + "/" + escape(entry.getKey());
                if (entry.getKey().equals("schema")) {
                    schema(entry.getValue(), at, problems);
                } else {
                    findSchemas(entry.getValue(), at, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findSchemas(node.get(i), pointer + "/" + i, problems);
            }
        }
    }

    private static void schema(JsonNode node, String pointer, List<String> problems) {
        if (node.isBoolean()) {
            return; // true and false are schemas in 2020-12
        }
        if (!node.isObject()) {
            problems.add(pointer + ": a schema must be an object, not " + node);
            return;
        }
        fields(node).forEach(entry -> {
            String key = entry.getKey();
            String at = pointer + "/" + escape(key);
            JsonNode value = entry.getValue();
            if (key.startsWith("x-")) {
                return;
            }
            if (!KEYWORDS.contains(key)) {
                problems.add(pointer + ": unknown keyword '" + key + "'");
            } else if (SUBSCHEMA.contains(key)) {
                schema(value, at, problems);
            } else if (SCHEMA_LISTS.contains(key)) {
                if (!value.isArray()) {
                    problems.add(at + ": must be a list of schemas");
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        schema(value.get(i), at + "/" + i, problems);
                    }
                }
            } else if (SCHEMA_MAPS.contains(key)) {
                fields(value).forEach(property -> schema(property.getValue(), at + "/" + escape(property.getKey()), problems));
            } else if (key.equals("required") && value.isArray()) {
                value.forEach(name -> {
                    if (!node.path("properties").has(name.asText()) && !node.has("allOf") && !node.has("oneOf") && !node.has("anyOf")) {
                        problems.add(at + ": '" + name.asText() + "' is required but not a property");
                    }
                });
            }
        });
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            entries.add(it.next());
        }
        return entries;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
