package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** A response body read as a stream while the HTTP client delivers it chunk by chunk, on its own thread. */
class BodyStreamTests {

	@Test
	void readsEveryChunkInOrderAskingForTheNextOnlyWhenTheLastIsRead() throws IOException {
		List<String> chunks = List.of("{\"items\":", "[{\"a\":1},", "{\"b\":2}]", "}");
		BodyStream stream = new BodyStream();
		Body body = new Body(stream, chunks, null);

		stream.start(body.response());

		assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8))
			.isEqualTo("{\"items\":[{\"a\":1},{\"b\":2}]}");
		assertThat(body.asked.get()).as("one request per chunk, and one that finds the end")
			.isEqualTo(chunks.size() + 1);
		assertThat(stream.read()).isEqualTo(-1);
	}

	@Test
	void aBodyThatFailsMidwayFailsTheReadWithTheCause() throws IOException {
		BodyStream stream = new BodyStream();
		stream.start(new Body(stream, List.of("{\"items\":["), new IOException("Connection reset")).response());

		byte[] start = new byte[10];
		assertThat(stream.read(start, 0, 10)).isEqualTo(10);
		assertThatIOException().isThrownBy(stream::read)
			.withMessage("The response body failed: Connection reset");
	}

	@Test
	void closingBeforeTheEndCancelsTheBody() throws IOException {
		BodyStream stream = new BodyStream();
		Body body = new Body(stream, List.of("{\"items\":[", "]}"), null);
		stream.start(body.response());
		stream.read();

		stream.close();

		assertThat(body.cancelled).isTrue();
		assertThatIOException().isThrownBy(stream::read).withMessage("The response body is closed");
	}

	/** Delivers one chunk per consume(), from another thread, as the Vert.x client does. */
	static final class Body implements AsyncBody {

		final BodyStream stream;

		final List<String> chunks;

		final Throwable failure;

		final AtomicInteger asked = new AtomicInteger();

		final CompletableFuture<Void> done = new CompletableFuture<>();

		final AtomicBoolean cancelled = new AtomicBoolean();

		Body(BodyStream stream, List<String> chunks, Throwable failure) {
			this.stream = stream;
			this.chunks = chunks;
			this.failure = failure;
		}

		@Override
		public void consume() {
			int next = this.asked.getAndIncrement();
			CompletableFuture.runAsync(() -> {
				if (next < this.chunks.size()) {
					this.stream.consume(List.of(ByteBuffer.wrap(this.chunks.get(next).getBytes(StandardCharsets.UTF_8))),
							this);
				}
				else if (this.failure != null) {
					this.done.completeExceptionally(this.failure);
				}
				else {
					this.done.complete(null);
				}
			});
		}

		@Override
		public CompletableFuture<Void> done() {
			return this.done;
		}

		@Override
		public void cancel() {
			this.cancelled.set(true);
			this.done.cancel(false);
		}

		HttpResponse<AsyncBody> response() {
			Body body = this;
			return new HttpResponse<>() {

				@Override
				public int code() {
					return 200;
				}

				@Override
				public AsyncBody body() {
					return body;
				}

				@Override
				public HttpRequest request() {
					return null;
				}

				@Override
				public java.util.Optional<HttpResponse<?>> previousResponse() {
					return java.util.Optional.empty();
				}

				@Override
				public List<String> headers(String key) {
					return List.of();
				}

				@Override
				public java.util.Map<String, List<String>> headers() {
					return java.util.Map.of();
				}

			};
		}

	}

}
