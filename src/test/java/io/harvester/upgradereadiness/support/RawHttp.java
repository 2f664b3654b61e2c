package io.harvester.upgradereadiness.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.0 over a plain socket, for request targets that {@link java.net.URI} refuses to build: invalid
 * percent-encodings, raw bytes, oversized query strings. The server closes the connection after the response.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** Sends {@code METHOD target HTTP/1.0} with the given headers (name, value, ...) and reads the whole answer. */
	public static Response send(int port, String method, byte[] target, String... headers) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
			request.writeBytes(target);
			request.writeBytes(" HTTP/1.0\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < headers.length; i += 2) {
				request.writeBytes((headers[i] + ": " + headers[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			out.write(request.toByteArray());
			out.flush();
			return Response.parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("request failed: " + new String(target, StandardCharsets.ISO_8859_1), ex);
		}
	}

	public static Response get(int port, String target, String... headers) {
		return send(port, "GET", target.getBytes(StandardCharsets.ISO_8859_1), headers);
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int read;
		try {
			while ((read = in.read(buffer)) >= 0) {
				bytes.write(buffer, 0, read);
			}
		}
		catch (java.net.SocketException ex) {
			// A server that refuses a request may reset the connection after answering; keep what came.
			if (bytes.size() == 0) {
				throw ex;
			}
		}
		return bytes.toByteArray();
	}

	/**
	 * One response.
	 *
	 * @param status the status code, 0 when the server closed the connection without an answer
	 * @param headers header names in lower case
	 * @param body the body as UTF-8
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		static Response parse(byte[] raw) {
			String text = new String(raw, StandardCharsets.UTF_8);
			if (text.isEmpty()) {
				return new Response(0, Map.of(), "");
			}
			int end = text.indexOf("\r\n\r\n");
			String head = (end >= 0) ? text.substring(0, end) : text;
			String body = (end >= 0) ? text.substring(end + 4) : "";
			String[] lines = head.split("\r\n");
			String[] statusLine = lines[0].split(" ", 3);
			if (!statusLine[0].startsWith("HTTP/") || statusLine.length < 2) {
				throw new IllegalStateException("not an HTTP response: " + text);
			}
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).trim());
				}
			}
			return new Response(Integer.parseInt(statusLine[1]), headers, body);
		}

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
