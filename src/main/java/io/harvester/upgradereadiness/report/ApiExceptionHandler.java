package io.harvester.upgradereadiness.report;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.KindStatus;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error is an RFC 9457 problem response ({@code application/problem+json}) that says what is wrong; none
 * carries a stack trace or server internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/** Seconds a client should wait before asking again while the snapshot syncs. */
	static final int RETRY_AFTER_SECONDS = 5;

	@ExceptionHandler
	ResponseEntity<ProblemDetail> snapshotUnavailable(SnapshotUnavailableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Cluster snapshot not ready");
		problem.setType(URI.create("urn:upgrade-readiness:problem:snapshot-not-ready"));
		List<Map<String, Object>> pending = ex.pending().stream().map(ApiExceptionHandler::pendingKind).toList();
		problem.setProperty("pending", pending);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidRequest(InvalidRequestException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid request");
		problem.setType(URI.create("urn:upgrade-readiness:problem:invalid-request"));
		ex.properties().forEach(problem::setProperty);
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/**
	 * Tomcat could not read the query string: a parameter that is not valid percent-encoded UTF-8, or more
	 * parameters than the server parses. The client's fault, answered without repeating the input.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The query string cannot be read: a parameter is not valid percent-encoded UTF-8, or there are too "
						+ "many parameters.");
		problem.setTitle("Invalid request");
		problem.setType(URI.create("urn:upgrade-readiness:problem:invalid-request"));
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected error while answering a request", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The service failed to answer; the error is in the service log.");
		problem.setTitle("Internal error");
		return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static Map<String, Object> pendingKind(KindStatus status) {
		// listed: how far a long initial list has got, so a client can tell slow progress from none.
		return Map.of("resource", status.resource(), "present", status.present(), "listed", status.count(),
				"message", (status.message() != null) ? status.message() : "not synced yet");
	}

}
