package io.harvester.upgradereadiness.system;

import java.net.URI;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error controller: whatever reaches the servlet container's error page (an error outside
 * Spring MVC's handlers, or a request for {@code /error} itself) is answered with a problem that names the status
 * only. No message, exception, trace or path internals; a direct request for {@code /error} is a 404 like any path
 * the service does not serve.
 */
@Hidden
@RestController
class ErrorProblemController implements ErrorController {

	@RequestMapping(path = "${server.error.path:${error.path:/error}}",
			produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null || !status.isError()) {
			// Not forwarded by the container: someone asked for /error, which is not a resource.
			status = (code == null) ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setTitle(status.getReasonPhrase());
		problem.setDetail(status.is5xxServerError() ? "The service failed to answer; the error is in the service log."
				: status.getReasonPhrase());
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		problem.setInstance(instance(uri));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** The failed request's path as a relative URI reference, or {@code /} when there is no usable one. */
	private static URI instance(Object uri) {
		if (uri instanceof String path && path.startsWith("/") && path.length() <= 256) {
			try {
				return new URI(null, null, path, null);
			}
			catch (java.net.URISyntaxException ex) {
				// answered below
			}
		}
		return URI.create("/");
	}

}
