package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpResponse;

/**
 * A response body as an {@link InputStream}, fed by the HTTP client's chunks as they arrive and read on another
 * thread, one chunk asked for at a time (the reader's pace is the server's).
 * <p>
 * fabric8's own {@code InputStream} bodies go through {@code HttpClientReadableByteChannel}, which copies every byte
 * with a {@code get()}/{@code put()} pair: on a 5 000-node cluster's 1.2 GiB of lists that copy was a quarter of the
 * sync's CPU, more than parsing. Here a read copies a chunk's bytes at once.
 */
final class BodyStream extends InputStream implements AsyncBody.Consumer<List<ByteBuffer>> {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();

	private ByteBuffer current;

	private AsyncBody body;

	private boolean done;

	private Throwable failed;

	private boolean closed;

	/** Whether a chunk has been asked for and has not arrived yet. */
	private boolean asked;

	/** Called on the HTTP client's thread with the next chunk. */
	@Override
	public void consume(List<ByteBuffer> buffers, AsyncBody body) {
		this.lock.lock();
		try {
			this.chunks.addAll(buffers);
			this.asked = false;
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Starts reading the body of this response. */
	void start(HttpResponse<AsyncBody> response) {
		this.body = response.body();
		this.body.done().whenComplete((ignored, error) -> {
			this.lock.lock();
			try {
				this.done = true;
				this.failed = error;
				this.arrived.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		});
		this.lock.lock();
		try {
			this.asked = true;
		}
		finally {
			this.lock.unlock();
		}
		this.body.consume();
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] into, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		this.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					throw new IOException("The response body is closed");
				}
				if (this.current != null && this.current.hasRemaining()) {
					int n = Math.min(length, this.current.remaining());
					this.current.get(into, offset, n);
					return n;
				}
				this.current = this.chunks.poll();
				if (this.current != null) {
					continue;
				}
				if (this.failed != null) {
					throw new IOException("The response body failed: " + this.failed.getMessage(), this.failed);
				}
				if (this.done) {
					return -1;
				}
				if (!this.asked) {
					// Ask for the next chunk outside the lock (the client may deliver it at once, on this thread).
					this.asked = true;
					this.lock.unlock();
					try {
						this.body.consume();
					}
					finally {
						this.lock.lock();
					}
				}
				while (!this.done && !this.closed && this.chunks.isEmpty()) {
					this.arrived.await();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while reading the response body");
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void close() {
		AsyncBody body;
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			body = this.done ? null : this.body;
			this.chunks.clear();
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		if (body != null) {
			body.cancel();
		}
	}

}
