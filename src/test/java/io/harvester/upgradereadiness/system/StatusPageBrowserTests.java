package io.harvester.upgradereadiness.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium driven through chromedriver, against the
 * service on its demo snapshot. Saves the screenshot the README shows ({@code docs/images/page.png}).
 * <p>
 * Skipped (not failed) where Chromium is not installed; {@code .ci/run} installs it, so CI always runs it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class StatusPageBrowserTests {

	/** Debian's packages chromium and chromium-driver; other paths with -Dchromium.binary, -Dchromedriver.binary. */
	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

	static final Path SCREENSHOT = Path.of("docs/images/page.png");

	private static final String ORPHAN = "custom-4d279419a084";

	/**
	 * Selenium warns at every start that it has no DevTools (CDP) classes for this Chromium version; the test does
	 * not use CDP. Held here because java.util.logging keeps loggers only weakly.
	 */
	private static final List<Logger> QUIET = List.of(severeOnly("org.openqa.selenium.devtools.CdpVersionFinder"),
			severeOnly("org.openqa.selenium.chromium.ChromiumDriver"));

	private static WebDriver browser;

	private static Path profile;

	@LocalServerPort
	int port;

	@BeforeEach
	void openThePage() throws IOException {
		// Per test rather than in @BeforeAll, so that each test is reported as skipped, with this message.
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				() -> "browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install Debian's "
						+ "chromium and chromium-driver packages (.ci/run does) to run it");
		if (browser == null) {
			startChromium();
		}
		browser.get("http://localhost:" + this.port + "/");
	}

	private static void startChromium() throws IOException {
		profile = Files.createTempDirectory("upgrade-readiness-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// No network but loopback here: no background services, no component or sync downloads.
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1400", "--lang=en-US");
		// An explicit driver: Selenium Manager never runs, so nothing is downloaded.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopChromium() throws IOException {
		if (browser != null) {
			browser.quit();
			browser = null;
		}
		if (profile != null) {
			try (Stream<Path> files = Files.walk(profile)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			profile = null;
		}
	}

	private static Logger severeOnly(String name) {
		Logger logger = Logger.getLogger(name);
		logger.setLevel(Level.SEVERE);
		return logger;
	}

	@Test
	void showsTheVerdictAndTheBlockingMachineOfTheDemoAndSavesTheScreenshot() throws IOException {
		WebElement verdict = waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));

		assertThat(verdict.isDisplayed()).isTrue();
		assertThat(verdict.getAttribute("class")).contains("NOT_READY");
		List<WebElement> resources = browser.findElements(By.cssSelector("#blocking-list .resource"));
		assertThat(resources).allSatisfy(resource -> assertThat(resource.isDisplayed()).isTrue());
		assertThat(resources).extracting(WebElement::getText).containsExactly("Machine fleet-local/" + ORPHAN,
				"Machine fleet-local/" + ORPHAN, "Machine fleet-local/" + ORPHAN, "Node harv43",
				"Volume longhorn-system/pvc-ff37ae6a-757e-4058-b764-002d7bbbebb7",
				"PersistentVolumeClaim default/build-cache-disk-1-wrv25",
				"Volume longhorn-system/pvc-103e4a75-2a1a-4a3d-8517-9b8b65ce1665",
				"PersistentVolumeClaim default/build-cache-disk-0-qb6qw", "ScheduleVMBackup default/vm-db-nightly",
				"VirtualMachine demo/win2022-installer", "VirtualMachineInstance demo/win2022-installer");
		assertThat(texts("#blocking-list h3")).containsExactly("Machines are Running machines-running",
				"Machines and Nodes match machine-node-match", "Node clocks are synchronised node-time-synced",
				"No single-replica Longhorn volumes single-replica-volumes",
				"No volume waits for its backing image volumes-backing-image-ready",
				"VM backup schedules are suspended backup-schedules-suspended",
				"VMs can be live-migrated vms-live-migratable");
		assertThat(texts("#blocking-list .message")).hasSize(8)
			.startsWith("machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning",
					"machine fleet-local/custom-4d279419a084 has empty NodeRef, check the cluster provision",
					"machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it");
		assertThat(texts("#blocking-list .remediation")).hasSize(8)
			.first()
			.asString()
			.startsWith("Find out why the machine is not Running");
		assertThat(browser.findElement(By.id("blocking-title")).getText()).isEqualTo("Blocking findings (8)");
		assertThat(browser.findElement(By.id("reasons")).getText()).contains("machines-running: 1 blocking finding");
		assertThat(browser.findElement(By.id("snapshot")).getText()).contains("classpath:demo-snapshot")
			.contains("up to date");
		assertThat(browser.findElement(By.id("versions")).getText())
			.isEqualTo("v1.5.0 → v1.5.1 (newest versions.harvesterhci.io object)");
		assertThat(browser.findElements(By.cssSelector("#not-evaluated-rows tr"))).hasSize(6);
		assertThat(browser.findElement(By.id("not-evaluated-rows")).getText())
			.contains("opt-in check not enabled");
		assertThat(browser.findElement(By.id("warnings")).isDisplayed()).as("the demo's warnings").isTrue();
		assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();
		assertThat(browser.findElement(By.id("updated")).getText()).startsWith("Updated at ");
		new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
			.until(d -> d.findElements(By.cssSelector("#rehearsal-rows tr")).size() == 3);
		assertThat(browser.findElement(By.id("rehearsal-summary")).getText()).startsWith("FITS: every running VM finds a "
				+ "node at every step");
		assertThat(texts("#rehearsal-rows tr td:nth-child(2)")).containsExactly("harv41 etcd", "harv42 etcd",
				"harv43 etcd");
		assertThat(texts("#rehearsal-rows tr td:nth-child(4)").get(0)).isEqualTo("default/ubuntu-web-01 \u2192 harv43");

		Files.createDirectories(SCREENSHOT.getParent());
		Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
		assertThat(SCREENSHOT).isNotEmptyFile();
	}

	@Test
	void showsTheProblemWhileTheSnapshotIsNotReadyAndRetriesOnItsOwn() {
		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
		// The body ApiExceptionHandler sends before the first snapshot, with a short Retry-After.
		fakeFetch(503, "application/problem+json", "3", """
				{"type":"urn:upgrade-readiness:problem:snapshot-not-ready","title":"Cluster snapshot not ready",
				 "status":503,"detail":"The cluster snapshot is not ready yet; still waiting for: nodes",
				 "pending":[{"resource":"nodes","present":true,"message":"not synced yet"}]}""", true);

		browser.findElement(By.id("refresh-now")).click();

		WebElement problem = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("problem")), By.id("problem"));
		assertThat(problem.getAttribute("role")).isEqualTo("alert");
		assertThat(problem.getText()).contains("No report yet (HTTP 503). Retrying in 3 s.")
			.contains("The cluster snapshot is not ready yet; still waiting for: nodes")
			.contains("nodes: not synced yet");
		// The next attempt (after Retry-After, without a click) reaches the real service again.
		waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("problem")), By.id("verdict"));
		assertThat(browser.findElement(By.id("verdict")).getText()).isEqualTo("NOT_READY");
	}

	@Test
	void saysSoWhenTheServiceCannotBeReached() {
		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
		((JavascriptExecutor) browser)
			.executeScript("window.fetch = function () { return Promise.reject(new TypeError('Failed to fetch')); };");

		browser.findElement(By.id("refresh-now")).click();

		WebElement problem = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("problem")), By.id("problem"));
		assertThat(problem.getText()).contains("Cannot reach the service. Retrying in 15 s.").contains("Failed to fetch");
		assertThat(browser.findElement(By.id("updated")).getText()).contains("the service cannot be reached");
		assertThat(browser.findElement(By.id("verdict")).getText()).as("the last report stays").isEqualTo("NOT_READY");
	}

	@Test
	void foldsWarningsAndWritesClusterDataAsTextNeverAsMarkup() {
		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
		String hostile = "<img src=x onerror=\\\"window.injected=true\\\">";
		fakeFetch(200, "application/json", null, """
				{"verdict":"UNKNOWN","ready":false,
				 "snapshot":{"source":"live:https://10.53.0.1:443/","ageSeconds":125,"stale":true,"staleSeconds":90,
				             "staleKinds":["nodes"]},
				 "summary":{"checks":2,"passed":0,"failed":1,"skipped":0,"errored":1,"findings":1,"blockingFindings":0},
				 "checks":[{"id":"pods-ready","title":"Pods are ready","category":"workloads","status":"FAIL",
				            "findings":["pods-ready/pod-not-ready/1"]},
				           {"id":"nodes-ready","title":"Nodes are Ready","category":"nodes","status":"ERROR",
				            "reason":"cannot evaluate: forbidden","findings":[]}],
				 "findings":[{"id":"pods-ready/pod-not-ready/1","checkId":"pods-ready","rule":"pod-not-ready",
				              "severity":"WARNING","blocking":false,"message":"pod %1$s is not ready",
				              "remediation":"kubectl describe pod","details":{},
				              "resources":[{"apiVersion":"v1","kind":"Pod","namespace":"default","name":"%1$s"}]}],
				 "reasons":["nodes-ready could not be evaluated: cannot evaluate: forbidden"],
				 "versions":{"current":"v1.4.2","target":"v1.5.1","targetSource":"newest versions.harvesterhci.io object"}}"""
			.formatted(hostile), false);

		browser.findElement(By.id("refresh-now")).click();

		WebElement verdict = waitFor(ExpectedConditions.textToBe(By.id("verdict"), "UNKNOWN"), By.id("verdict"));
		assertThat(verdict.getAttribute("class")).contains("UNKNOWN");
		assertThat(browser.findElement(By.id("versions")).getText())
			.isEqualTo("v1.4.2 → v1.5.1 (newest versions.harvesterhci.io object)");
		assertThat(browser.findElement(By.id("snapshot")).getText())
			.contains("taken 2 min 5 s ago")
			.contains("STALE: no contact with the API server for 1 min 30 s (nodes)");
		assertThat(browser.findElement(By.id("blocking-list")).getText()).isEqualTo("Nothing blocks the upgrade.");
		assertThat(browser.findElement(By.id("not-evaluated-rows")).getText()).contains("cannot evaluate: forbidden");
		WebElement warning = browser.findElement(By.cssSelector("#warnings-list .message"));
		assertThat(warning.isDisplayed()).as("warnings are folded").isFalse();

		browser.findElement(By.id("warnings-summary")).click();

		String name = "<img src=x onerror=\"window.injected=true\">";
		assertThat(warning.isDisplayed()).isTrue();
		assertThat(warning.getText()).isEqualTo("WARNING: pod " + name + " is not ready");
		assertThat(browser.findElement(By.cssSelector("#warnings-list .resource")).getText())
			.isEqualTo("Pod default/" + name);
		assertThat(browser.findElements(By.tagName("img"))).isEmpty();
		assertThat(((JavascriptExecutor) browser).executeScript("return window.injected === undefined")).isEqualTo(true);
	}

	@Test
	void withSecurityOnThePageSaysATokenIsNeeded() {
		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
		// What BearerTokenFilter answers the page's token-less request with security.mode=kubernetes.
		fakeFetch(401, "application/problem+json", null, """
				{"type":"urn:upgrade-readiness:problem:unauthenticated","title":"Authentication required","status":401,
				 "detail":"Send a Kubernetes bearer token: Authorization: Bearer <token>."}""", true);

		browser.findElement(By.id("refresh-now")).click();

		WebElement problem = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("problem")), By.id("problem"));
		assertThat(problem.getText()).contains("The service answered HTTP 401 Authentication required.")
			.contains("Send a Kubernetes bearer token: Authorization: Bearer <token>.");
	}

	@Test
	void listsAcknowledgedFindingsApartWithTheirReasonAndNamesExpiredRules() {
		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
		assertThat(browser.findElement(By.id("acknowledged")).isDisplayed()).as("none in the demo").isFalse();
		fakeFetch(200, "application/json", null, """
				{"verdict":"READY","ready":true,"snapshot":{"source":"file:/bundle","ageSeconds":5,"stale":false},
				 "summary":{"checks":2,"passed":1,"failed":1,"skipped":0,"errored":0,"findings":1,"blockingFindings":0,
				            "acknowledged":1},
				 "checks":[{"id":"single-replica-volumes","title":"No single-replica Longhorn volumes",
				            "category":"storage","status":"FAIL","findings":["f1"]},
				           {"id":"backup-schedules-suspended","title":"VM backup schedules are suspended",
				            "category":"vms","status":"PASS","findings":[]}],
				 "findings":[{"id":"f1","checkId":"single-replica-volumes","rule":"single-replica","severity":"ERROR",
				              "blocking":true,"message":"PVC default/cache has a single replica","remediation":"add one",
				              "details":{},"resources":[{"apiVersion":"v1","kind":"PersistentVolumeClaim",
				              "namespace":"default","name":"cache"}],
				              "acknowledged":{"reason":"rebuilt on demand","expires":"2026-12-31",
				                              "rule":"upgrade-readiness.acknowledgements[0]"}}],
				 "reasons":[],
				 "expiredAcknowledgements":[{"rule":"upgrade-readiness.acknowledgements[1]",
				   "check":"backup-schedules-suspended","reason":"until the export","expires":"2026-10-31","findings":[]}],
				 "versions":{"current":"v1.5.0","target":"v1.5.1"}}""", false);

		browser.findElement(By.id("refresh-now")).click();

		waitFor(ExpectedConditions.textToBe(By.id("verdict"), "READY"), By.id("verdict"));
		assertThat(browser.findElement(By.id("blocking-list")).getText()).isEqualTo("Nothing blocks the upgrade.");
		assertThat(browser.findElement(By.id("acknowledged-title")).getText()).isEqualTo("Acknowledged (1)");
		assertThat(browser.findElement(By.id("expired-acknowledgements")).getText()).isEqualTo(
				"Acknowledgement upgrade-readiness.acknowledgements[1] (backup-schedules-suspended) expired on "
						+ "2026-10-31 and no longer applies");
		assertThat(browser.findElement(By.id("summary")).getText()).endsWith("0 blocking, 1 acknowledged");
		browser.findElement(By.id("acknowledged-summary")).click();
		assertThat(browser.findElement(By.cssSelector("#acknowledged-list .acknowledgement")).getText())
			.isEqualTo("rebuilt on demand (until 2026-12-31) · upgrade-readiness.acknowledgements[0]");
		assertThat(browser.findElement(By.cssSelector("#acknowledged-list .resource")).getText())
			.isEqualTo("PersistentVolumeClaim default/cache");
	}

	/**
	 * Through the Rancher/Harvester service proxy the page lives under
	 * {@code /k8s/clusters/<id>/api/v1/namespaces/<ns>/services/http:<svc>:8080/proxy/}: a stand-in proxy serves the
	 * service under that prefix only, and the page, its files, its report request and its links all stay below it
	 * (relative URLs), as they must for security.mode none behind the proxy.
	 */
	@Test
	void worksUnderTheServiceProxyPathBecauseEveryUrlItUsesIsRelative() throws IOException {
		String prefix = "/k8s/clusters/c-m-4x2kq/api/v1/namespaces/harvester-system/services/http:upgrade-readiness:8080/proxy/";
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer proxy = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
		java.net.http.HttpClient upstream = java.net.http.HttpClient.newHttpClient();
		proxy.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getRawPath();
			String query = exchange.getRequestURI().getRawQuery();
			seen.add(path);
			try (exchange) {
				if (!path.startsWith(prefix)) {
					exchange.sendResponseHeaders(404, -1);
					return;
				}
				java.net.URI target = java.net.URI.create("http://localhost:" + this.port + "/"
						+ path.substring(prefix.length()) + (query != null ? "?" + query : ""));
				java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(target);
				String accept = exchange.getRequestHeaders().getFirst("Accept");
				if (accept != null) {
					request.header("Accept", accept);
				}
				java.net.http.HttpResponse<byte[]> response = upstream.send(request.build(),
						java.net.http.HttpResponse.BodyHandlers.ofByteArray());
				response.headers().firstValue("Content-Type")
					.ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
				exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
				exchange.getResponseBody().write(response.body());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		proxy.start();
		try {
			String page = "http://localhost:" + proxy.getAddress().getPort() + prefix;
			browser.get(page);

			waitFor(ExpectedConditions.textToBe(By.id("verdict"), "NOT_READY"), By.id("verdict"));
			int blocking = new io.harvester.upgradereadiness.support.HttpTestClient(this.port).get("/api/v1/upgrade-readiness")
				.json()
				.get("summary")
				.get("blockingFindings")
				.asInt();
			assertThat(browser.findElement(By.id("blocking-title")).getText())
				.isEqualTo("Blocking findings (" + blocking + ")");
			assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();
			// The browser's own guess at /favicon.ico (the page names no icon) is not a request the page makes.
			assertThat(seen).contains(prefix, prefix + "page.js", prefix + "page.css", prefix + "api/v1/upgrade-readiness")
				.filteredOn(path -> !path.equals("/favicon.ico"))
				.allSatisfy(path -> assertThat(path).startsWith(prefix));
			assertThat(browser.findElements(By.cssSelector("a[href], link[href], script[src]")))
				.extracting(e -> e.getDomProperty(e.getTagName().equals("script") ? "src" : "href"))
				.filteredOn(url -> url.startsWith("http://localhost"))
				.isNotEmpty()
				.allSatisfy(url -> assertThat(url).startsWith(page));
		}
		finally {
			proxy.stop(0);
		}
	}

	/**
	 * Replaces the page's {@code fetch} with one answering the given response; {@code once}: only the next call,
	 * then the real service again.
	 */
	private static void fakeFetch(int status, String contentType, String retryAfter, String body, boolean once) {
		((JavascriptExecutor) browser).executeScript("""
				const [status, contentType, retryAfter, body, once] = arguments;
				const realFetch = window.fetch;
				window.fetch = function () {
				  if (once) { window.fetch = realFetch; }
				  const headers = {'Content-Type': contentType};
				  if (retryAfter) { headers['Retry-After'] = retryAfter; }
				  return Promise.resolve(new Response(body, {status: status, headers: headers}));
				};""", status, contentType, retryAfter, body, once);
	}

	private static WebElement waitFor(ExpectedCondition<?> condition, By then) {
		new WebDriverWait(browser, Duration.ofSeconds(10)).until(condition);
		return browser.findElement(then);
	}

	private static List<String> texts(String css) {
		return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
	}

}
