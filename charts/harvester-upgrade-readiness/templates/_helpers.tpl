{{/* The chart name, or nameOverride. */}}
{{- define "upgrade-readiness.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of the release's objects: fullnameOverride, else the release name when the chart name contains it
("upgrade-readiness"), else <release>-<chart>. Truncated to 63 characters (DNS label).
*/}}
{{- define "upgrade-readiness.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains .Release.Name $name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the cluster-scoped objects and of the Role in "default": qualified by the release namespace. */}}
{{- define "upgrade-readiness.rbacName" -}}
{{- printf "%s-%s" (include "upgrade-readiness.fullname" .) .Release.Namespace | trunc 253 | trimSuffix "-" }}
{{- end }}

{{- define "upgrade-readiness.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "upgrade-readiness.selectorLabels" -}}
app.kubernetes.io/name: {{ include "upgrade-readiness.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "upgrade-readiness.labels" -}}
helm.sh/chart: {{ include "upgrade-readiness.chart" . }}
{{ include "upgrade-readiness.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: upgrade-readiness
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "upgrade-readiness.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "upgrade-readiness.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image: global.cattle.systemDefaultRegistry/ (when set) + repository : tag (default appVersion). */}}
{{- define "upgrade-readiness.image" -}}
{{- $registry := "" }}
{{- if and .Values.global .Values.global.cattle .Values.global.cattle.systemDefaultRegistry }}
{{- $registry = printf "%s/" (trimSuffix "/" .Values.global.cattle.systemDefaultRegistry) }}
{{- end }}
{{- printf "%s%s:%s" $registry .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The acknowledgement rules as Spring configuration (upgrade-readiness.acknowledgements[]), every value quoted and
every label key in brackets, so that Spring binds it as written.
*/}}
{{- define "upgrade-readiness.acknowledgements" -}}
upgrade-readiness:
  acknowledgements:
  {{- range .Values.acknowledgements.rules }}
    - check: {{ .check | quote }}
      {{- with .kind }}
      kind: {{ . | quote }}
      {{- end }}
      {{- with .namespace }}
      namespace: {{ . | quote }}
      {{- end }}
      {{- with .name }}
      name: {{ . | quote }}
      {{- end }}
      {{- if and .labelSelector .labelSelector.matchLabels }}
      labelSelector:
        matchLabels:
          {{- range $key, $value := .labelSelector.matchLabels }}
          {{ printf "[%s]" $key | quote }}: {{ $value | quote }}
          {{- end }}
      {{- end }}
      reason: {{ .reason | quote }}
      {{- with .expires }}
      expires: {{ . | quote }}
      {{- end }}
  {{- else }} []
  {{- end }}
{{- end }}

{{/* Where the acknowledgement rules are mounted, and the file the service imports. */}}
{{- define "upgrade-readiness.acknowledgementsDir" -}}
/etc/upgrade-readiness
{{- end }}

{{/*
Whether a monitoring object is rendered: its switch (metrics.<object>.enabled) is true, or auto while the cluster
serves the prometheus-operator API (monitoring.coreos.com/v1). Call with (list <switch> $). Prints "true" or nothing.
*/}}
{{- define "upgrade-readiness.monitoring" -}}
{{- $switch := index . 0 }}
{{- $root := index . 1 }}
{{- if or (eq (toString $switch) "true") (and (eq (toString $switch) "auto") ($root.Capabilities.APIVersions.Has "monitoring.coreos.com/v1")) }}true{{- end }}
{{- end }}
