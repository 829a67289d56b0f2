package com.vitasense.jobs.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;

/**
 * Reads custom resources into the Flink Kubernetes Operator's own model, strictly: a field the
 * model does not have fails, where Kubernetes would prune it without a word (and the operator
 * would run without the setting).
 *
 * <p>The model alone is lenient: its spec classes say {@code ignoreUnknown = true}, and the
 * fabric8 Kubernetes classes inside ({@code podTemplate}) collect unknown fields in an
 * "additional properties" map. This reader turns both off, so a misspelled key
 * ({@code upgradeMod}) or a key in the wrong place ({@code spec.parallelism} instead of
 * {@code spec.job.parallelism}, {@code resource} instead of {@code resources} in a container)
 * is an error.
 */
final class StrictOperatorModel {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
                }

                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }
            });

    private StrictOperatorModel() {}

    /**
     * The rendered resource as the operator reads it. {@code spec.flinkVersion} is checked apart
     * (see {@link #knowsFlinkVersion}) and left out of the model when the model's enum predates it.
     */
    static FlinkDeployment flinkDeployment(JsonNode rendered) throws Exception {
        ObjectNode copy = rendered.deepCopy();
        JsonNode version = copy.path("spec").path("flinkVersion");
        if (version.isTextual() && !knowsFlinkVersion(version.asText())) {
            ((ObjectNode) copy.get("spec")).remove("flinkVersion");
        }
        return STRICT.treeToValue(copy, FlinkDeployment.class);
    }

    /**
     * Any other rendered resource (ServiceAccount, Role, ConfigMap, ...) as its fabric8 Kubernetes
     * model class, with the same strictness.
     */
    static <T> T kubernetes(JsonNode rendered, Class<T> type) throws Exception {
        return STRICT.treeToValue(rendered, type);
    }

    /**
     * Whether the operator API on the class path knows this {@code flinkVersion}. The newest API
     * Maven Central serves here (see {@code flink.kubernetes.operator.version} in pom.xml) ends at
     * v1_20, while the chart needs v2_2 (operator 1.15+); once a newer API resolves, the value is
     * read by the model like every other field.
     */
    static boolean knowsFlinkVersion(String name) {
        return Arrays.stream(FlinkVersion.values()).anyMatch(v -> v.name().equals(name));
    }
}
