package io.harvester.upgradereadiness.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on loopback presenting a self-signed certificate that the test makes with the JDK's keytool,
 * valid for the given number of days: stands in for an API server endpoint or a webhook server.
 */
public final class TlsEndpoint implements AutoCloseable {

	private static final char[] PASSWORD = "changeit".toCharArray();

	private final SSLServerSocket server;

	private final Thread acceptor;

	public TlsEndpoint(Path workDir, int validityDays) throws Exception {
		this(workDir, validityDays, "CN=kube-apiserver");
	}

	/** The same, with the certificate's subject: {@code CN=cdi-apiserver}. */
	public TlsEndpoint(Path workDir, int validityDays, String subject) throws Exception {
		Path keystore = workDir.resolve("endpoint-" + validityDays + "-" + subject.replaceAll("[^A-Za-z0-9]", "_")
				+ ".p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "apiserver", "-keyalg", "RSA", "-keysize", "2048", "-validity",
				Integer.toString(validityDays), "-dname", subject, "-keystore", keystore.toString(),
				"-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes());
		if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keystore)) {
			store.load(in, PASSWORD);
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, PASSWORD);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		this.server = (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 10, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::serve, "tls-endpoint");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	private void serve() {
		while (!this.server.isClosed()) {
			try (Socket socket = this.server.accept()) {
				((SSLSocket) socket).startHandshake();
			}
			catch (IOException ex) {
				// a client that only reads the certificate closes early; keep serving
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	public static List<String> loopback() {
		return List.of("127.0.0.1");
	}

}
