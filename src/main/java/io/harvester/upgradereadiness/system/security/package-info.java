/**
 * Who may read the report: Kubernetes bearer tokens reviewed by the API server (TokenReview, SubjectAccessReview),
 * and CORS for browser pages of other origins.
 */
package io.harvester.upgradereadiness.system.security;
