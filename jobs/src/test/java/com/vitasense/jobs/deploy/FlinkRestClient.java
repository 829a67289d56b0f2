package com.vitasense.jobs.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The calls {@code flink run}, {@code flink stop} and {@code flink cancel} make, against a session
 * cluster's REST API: upload a jar, run it (optionally from a savepoint), stop a job with a
 * savepoint, cancel it, read job and checkpoint state. Every error answer of the cluster becomes
 * an exception that carries the cluster's own message.
 */
final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRestClient(URI base) {
        this.base = base;
    }

    /** GET on a path such as {@code /overview}. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** {@code POST /jars/upload}; returns the jar id that {@link #run} takes. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----vitasense-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IOException("jar upload refused: " + answer);
        }
        // The answer names the stored file; its name is the jar id.
        return Path.of(answer.path("filename").asText()).getFileName().toString();
    }

    /**
     * {@code POST /jars/<id>/run}: the cluster runs the jar's main class with these arguments
     * (from {@code savepointPath} when not null) and answers with the id of the job it submitted.
     */
    String run(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("entryClass", entryClass).put("parallelism", parallelism);
        args.forEach(request.putArray("programArgsList")::add);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        }
        JsonNode answer = send(post("/jars/" + jarId + "/run", request));
        String jobId = answer.path("jobid").asText();
        if (jobId.isEmpty()) {
            throw new IOException("run of " + jarId + " answered without a job id: " + answer);
        }
        return jobId;
    }

    /** {@code POST /jobs/<id>/stop}: a savepoint, then the job finishes; returns the trigger id. */
    String stopWithSavepoint(String jobId, String targetDirectory) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false);
        String trigger = send(post("/jobs/" + jobId + "/stop", request)).path("request-id").asText();
        if (trigger.isEmpty()) {
            throw new IOException("stop of " + jobId + " answered without a request id");
        }
        return trigger;
    }

    /** {@code PATCH /jobs/<id>?mode=cancel}. */
    void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode answer = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        if (response.statusCode() >= 300) {
            throw new IOException(built.method() + " " + built.uri().getPath() + " answered " + response.statusCode()
                    + ": " + answer.path("errors"));
        }
        return answer;
    }
}
