package io.harvester.upgradereadiness.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Reads the documents of one snapshot file from a token stream (JSON, or YAML through the same parser interface)
 * straight into the checks' views: of an object of a watched kind only its {@link Projection} and the metadata a
 * {@link KubeObject} holds are ever built; everything else (managedFields, a Pod's containers, a Node's images) is
 * skipped token by token and never becomes a Java object. Reading a file costs little more than tokenising it.
 * <p>
 * Order does not matter, as in a map: {@code kubectl get -o json} writes a List's {@code kind} after its
 * {@code items}, so items are read as they come and kept aside until the document says it is a list; properties
 * met before an object's apiVersion and kind are known are buffered as tokens and read once they are. Items of a
 * typed list ({@code NodeList}) may carry no kind: they take the list's, as the API server means them to.
 */
final class ObjectStreamReader {

	/** What a file's documents give; the reader of the whole snapshot merges them. */
	interface Sink {

		void object(WatchedKind kind, KubeObject object);

		/** A Kubernetes object of a kind no check reads. */
		void objectIgnored();

		/** A document or list item that is no Kubernetes object. */
		void documentIgnored();

		/** A list with no items; {@code itemKind} is {@code null} for a plain {@code List}. */
		void emptyList(String apiVersion, String itemKind);

	}

	/** Thrown for a list whose items are not a list; the caller names the file. */
	static final class NotAListException extends RuntimeException {

		NotAListException(String message) {
			super(message);
		}

	}

	private final Sink sink;

	private final Runnable onObject;

	/**
	 * @param sink where the objects go
	 * @param onObject called once per object read (progress)
	 */
	ObjectStreamReader(Sink sink, Runnable onObject) {
		this.sink = sink;
		this.onObject = onObject;
	}

	/** Reads the document the parser is at (its first token), numbered from 1 in messages. */
	void document(JsonParser parser, int index) {
		JsonToken token = parser.currentToken();
		if (token == null || token == JsonToken.VALUE_NULL) {
			// an empty YAML document
			return;
		}
		if (token != JsonToken.START_OBJECT) {
			parser.skipChildren();
			this.sink.documentIgnored();
			return;
		}
		ObjectState state = new ObjectState(null, null, index);
		state.readProperties(parser);
		state.end(this.sink);
	}

	/** A list's items, kept until its document ends and says whether it is a list (and of which kind). */
	private final class Batch implements Sink {

		final List<Object> events = new ArrayList<>();

		/** Items that carried no apiVersion or kind, as tokens: they take the list's once it is known. */
		final List<TokenBuffer> untyped = new ArrayList<>();

		int items;

		@Override
		public void object(WatchedKind kind, KubeObject object) {
			this.events.add(new Object[] { kind, object });
		}

		@Override
		public void objectIgnored() {
			this.events.add(Event.OBJECT_IGNORED);
		}

		@Override
		public void documentIgnored() {
			this.events.add(Event.DOCUMENT_IGNORED);
		}

		@Override
		public void emptyList(String apiVersion, String itemKind) {
			this.events.add(new String[] { apiVersion, itemKind });
		}

		/** Hands the items on as a list of {@code itemKind} (null for a plain List) of this apiVersion. */
		void commit(Sink target, String apiVersion, String itemKind, int document) {
			for (Object event : this.events) {
				if (event instanceof Object[] pair) {
					target.object((WatchedKind) pair[0], (KubeObject) pair[1]);
				}
				else if (event == Event.OBJECT_IGNORED) {
					target.objectIgnored();
				}
				else if (event == Event.DOCUMENT_IGNORED) {
					target.documentIgnored();
				}
				else if (event instanceof String[] list) {
					target.emptyList(list[0], list[1]);
				}
			}
			for (TokenBuffer item : this.untyped) {
				if (itemKind == null) {
					target.documentIgnored();
					continue;
				}
				try (JsonParser replay = item.asParser()) {
					replay.nextToken();
					ObjectState state = new ObjectState(apiVersion, itemKind, document);
					state.readProperties(replay);
					state.end(target);
				}
			}
			if (this.items == 0) {
				target.emptyList(apiVersion, itemKind);
			}
		}

	}

	private enum Event {

		OBJECT_IGNORED, DOCUMENT_IGNORED

	}

	/** What is known of one object while its properties are read. */
	private final class ObjectState {

		/** The list's apiVersion and item kind, for an item of a typed list; else {@code null}. */
		final String defaultApiVersion;

		final String defaultKind;

		final int document;

		String apiVersion;

		String kind;

		boolean typeMalformed;

		/** Properties met before the type was known, as tokens; {@code null} when none. */
		TokenBuffer pending;

		/** Once the type is known: the view being built, or {@code null} for an object no check reads. */
		ViewBuilder view;

		boolean decided;

		Batch items;

		/** The items property when it is not an array: null/"null" (an empty list), or something else. */
		boolean itemsNull;

		boolean itemsOther;

		ObjectState(String defaultApiVersion, String defaultKind, int document) {
			this.defaultApiVersion = defaultApiVersion;
			this.defaultKind = defaultKind;
			this.document = document;
		}

		/** Reads the properties of the object the parser is at (START_OBJECT) up to its END_OBJECT. */
		void readProperties(JsonParser parser) {
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				property(name, parser);
			}
		}

		void property(String name, JsonParser parser) {
			JsonToken token = parser.currentToken();
			if (name.equals("apiVersion") || name.equals("kind")) {
				String value = (token == JsonToken.VALUE_STRING) ? parser.getString() : null;
				if (value == null) {
					parser.skipChildren();
					this.typeMalformed = true;
				}
				if (name.equals("apiVersion")) {
					this.apiVersion = value;
				}
				else {
					this.kind = value;
				}
				return;
			}
			if (name.equals("items")) {
				items(parser);
				return;
			}
			if (!this.decided && !decide()) {
				buffer(name, parser);
				return;
			}
			if (this.view == null) {
				parser.skipChildren();
				return;
			}
			this.view.property(name, parser);
		}

		/** Reads an items property: an array is read item by item, whatever the document turns out to be. */
		private void items(JsonParser parser) {
			JsonToken token = parser.currentToken();
			if (token == JsonToken.START_ARRAY) {
				Batch batch = new Batch();
				// Items take a typed list's kind only when the list said it (and its apiVersion) before them.
				String itemKind = (this.kind != null && this.apiVersion != null && isListKind(this.kind))
						? itemKind(this.kind) : null;
				String listApiVersion = (itemKind != null) ? this.apiVersion : null;
				while (parser.nextToken() != JsonToken.END_ARRAY) {
					batch.items++;
					if (parser.currentToken() != JsonToken.START_OBJECT) {
						parser.skipChildren();
						batch.documentIgnored();
						continue;
					}
					ObjectState item = new ObjectState(listApiVersion, itemKind, this.document);
					item.readProperties(parser);
					if (item.untyped()) {
						batch.untyped.add(item.pendingClosed());
					}
					else {
						item.end(batch);
					}
				}
				this.items = batch;
			}
			else if (token == JsonToken.VALUE_NULL
					|| (token == JsonToken.VALUE_STRING && isYamlNull(parser.getString()))) {
				// YAML's empty scalar ("items:" with nothing after it), "~" and "null" all mean no items
				this.itemsNull = true;
			}
			else {
				parser.skipChildren();
				this.itemsOther = true;
			}
		}

		/** Decides what the object is, if its type is known now (or taken from its typed list). */
		private boolean decide() {
			String apiVersion = (this.apiVersion != null) ? this.apiVersion : this.defaultApiVersion;
			String kind = (this.kind != null) ? this.kind : this.defaultKind;
			if (apiVersion == null || kind == null) {
				if (this.defaultKind == null || this.typeMalformed) {
					return false;
				}
			}
			this.decided = true;
			WatchedKind watched = watchedKind(apiVersion, kind);
			this.view = (watched != null) ? new ViewBuilder(watched) : null;
			if (this.pending != null) {
				TokenBuffer buffered = pendingClosed();
				this.pending = null;
				try (JsonParser replay = buffered.asParser()) {
					replay.nextToken();
					readProperties(replay);
				}
			}
			return true;
		}

		private void buffer(String name, JsonParser parser) {
			if (this.pending == null) {
				this.pending = new TokenBuffer(false);
				this.pending.writeStartObject();
			}
			this.pending.writeName(name);
			this.pending.copyCurrentStructure(parser);
		}

		/** An item that never said its type, and whose list may say it later. */
		boolean untyped() {
			return !this.decided && !this.typeMalformed && (this.apiVersion == null || this.kind == null)
					&& this.items == null && !this.itemsNull && !this.itemsOther;
		}

		/** The buffered properties as one object, with the half of the type the object did say. */
		TokenBuffer pendingClosed() {
			TokenBuffer buffer = (this.pending != null) ? this.pending : new TokenBuffer(false);
			if (this.pending == null) {
				buffer.writeStartObject();
			}
			if (this.apiVersion != null) {
				buffer.writeStringProperty("apiVersion", this.apiVersion);
			}
			if (this.kind != null) {
				buffer.writeStringProperty("kind", this.kind);
			}
			buffer.writeEndObject();
			return buffer;
		}

		/** The object has ended: hands on what it is. */
		void end(Sink target) {
			String apiVersion = (this.apiVersion != null) ? this.apiVersion : this.defaultApiVersion;
			String kind = (this.kind != null) ? this.kind : this.defaultKind;
			if (this.typeMalformed || apiVersion == null || apiVersion.isBlank() || kind == null || kind.isBlank()) {
				target.documentIgnored();
				return;
			}
			boolean hasItems = this.items != null || this.itemsNull || this.itemsOther;
			if (hasItems && isListKind(kind)) {
				if (this.itemsOther) {
					throw new NotAListException("document " + this.document + " is a " + kind
							+ " whose items are not a list");
				}
				if (this.items == null) {
					target.emptyList(apiVersion, itemKind(kind));
				}
				else {
					this.items.commit(target, apiVersion, itemKind(kind), this.document);
				}
				return;
			}
			if (!this.decided) {
				decide();
			}
			if (this.view == null) {
				target.objectIgnored();
				return;
			}
			target.object(this.view.kind, this.view.build(apiVersion, kind));
			ObjectStreamReader.this.onObject.run();
		}

	}

	/** The view of one object of a watched kind, built from its properties as they come. */
	private static final class ViewBuilder {

		final WatchedKind kind;

		final Projection.Step root;

		final List<Object> body = new ArrayList<>();

		String name;

		String namespace;

		String deletionTimestamp;

		String resourceVersion;

		/** Read only for a kind that derives values from it. */
		String creationTimestamp;

		Long generation;

		Map<String, String> labels;

		Map<String, String> annotations;

		ViewBuilder(WatchedKind kind) {
			this.kind = kind;
			this.root = kind.projection().readRoot();
		}

		void property(String name, JsonParser parser) {
			if (name.equals("metadata")) {
				metadata(parser);
				return;
			}
			Projection.Step step = this.root.child(name);
			if (step == null) {
				parser.skipChildren();
				return;
			}
			this.body.add(Compact.string(name));
			this.body.add(projected(parser, step));
		}

		private void metadata(JsonParser parser) {
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				parser.skipChildren();
				return;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				switch (field) {
					case "name" -> this.name = text(parser, token);
					case "namespace" -> this.namespace = text(parser, token);
					case "deletionTimestamp" -> this.deletionTimestamp = text(parser, token);
					case "resourceVersion" -> this.resourceVersion = text(parser, token);
					case "creationTimestamp" -> this.creationTimestamp = text(parser, token);
					case "generation" -> this.generation = generation(parser, token);
					case "labels" -> this.labels = strings(parser, token, null);
					case "annotations" -> this.annotations = strings(parser, token, this.kind.projection());
					default -> parser.skipChildren();
				}
			}
		}

		KubeObject build(String apiVersion, String kind) {
			Map<String, Object> read = Compact.ofEntries(this.body);
			Projection projection = this.kind.projection();
			Map<String, Object> kept = projection.derives()
					? projection.project(this.labels, this.creationTimestamp, read) : read;
			return KubeObject.ofParsed(this.kind, apiVersion, kind, this.namespace, this.name, this.labels,
					this.annotations, this.deletionTimestamp, this.generation, kept);
		}

		private static String text(JsonParser parser, JsonToken token) {
			if (token == JsonToken.VALUE_STRING) {
				return parser.getString();
			}
			parser.skipChildren();
			return null;
		}

		/** A number, or a number written as a string; anything else is no generation. */
		private static Long generation(JsonParser parser, JsonToken token) {
			if (token == JsonToken.VALUE_NUMBER_INT) {
				return parser.getLongValue();
			}
			if (token == JsonToken.VALUE_STRING) {
				try {
					return new BigDecimal(parser.getString().trim()).longValueExact();
				}
				catch (NumberFormatException | ArithmeticException ex) {
					return null;
				}
			}
			parser.skipChildren();
			return null;
		}

		/** Labels or annotations as strings (scalars written as text); only the kept ones when a projection says. */
		private static Map<String, String> strings(JsonParser parser, JsonToken token, Projection kept) {
			if (token != JsonToken.START_OBJECT) {
				parser.skipChildren();
				return null;
			}
			Map<String, String> values = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String key = parser.currentName();
				JsonToken value = parser.nextToken();
				if ((kept != null && !kept.keepsAnnotation(key)) || value.isStructStart()) {
					parser.skipChildren();
					continue;
				}
				if (values == null) {
					values = new LinkedHashMap<>();
				}
				values.put(key, (value == JsonToken.VALUE_NULL) ? "" : parser.getString());
			}
			return values;
		}

		/**
		 * The kept part of a value under a kept step: all of it when the step is kept whole, else the kept fields
		 * below it. A value of the wrong shape on the way to a kept field is kept as it is, as {@link Projection}
		 * does, so that the check reading it reports the malformed field.
		 */
		private static Object projected(JsonParser parser, Projection.Step step) {
			Projection.Step items = step.items();
			if (items != null && parser.currentToken() == JsonToken.START_ARRAY) {
				List<Object> kept = new ArrayList<>();
				while (parser.nextToken() != JsonToken.END_ARRAY) {
					kept.add((parser.currentToken() == JsonToken.START_OBJECT) ? projected(parser, items)
							: value(parser));
				}
				return Compact.items(kept.toArray(), items.names(), items.list());
			}
			if (step.whole() || items != null || parser.currentToken() != JsonToken.START_OBJECT) {
				return value(parser);
			}
			List<Object> kept = new ArrayList<>();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				Projection.Step child = step.child(name);
				if (child == null) {
					parser.skipChildren();
					continue;
				}
				kept.add(Compact.string(name));
				kept.add(projected(parser, child));
			}
			return Compact.ofEntries(kept);
		}

		/** The whole value at the parser, as {@link Compact} maps, lists and interned short strings. */
		private static Object value(JsonParser parser) {
			switch (parser.currentToken()) {
				case START_OBJECT -> {
					List<Object> entries = new ArrayList<>();
					while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
						String name = parser.currentName();
						parser.nextToken();
						entries.add(Compact.string(name));
						entries.add(value(parser));
					}
					return Compact.ofEntries(entries);
				}
				case START_ARRAY -> {
					List<Object> items = new ArrayList<>();
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						items.add(value(parser));
					}
					return Compact.ofItems(items);
				}
				case VALUE_STRING -> {
					return Compact.string(parser.getString());
				}
				case VALUE_NUMBER_INT -> {
					return parser.getNumberValue();
				}
				case VALUE_NUMBER_FLOAT -> {
					return parser.getDoubleValue();
				}
				case VALUE_TRUE -> {
					return Boolean.TRUE;
				}
				case VALUE_FALSE -> {
					return Boolean.FALSE;
				}
				case VALUE_EMBEDDED_OBJECT -> {
					return parser.getEmbeddedObject();
				}
				default -> {
					return null;
				}
			}
		}

	}

	/** One page of the API server's answer to a list: its objects' views and where the list goes on. */
	record ListPage(String resourceVersion, String continueToken, List<Listed> items) {
	}

	/** One listed object: its view, and the resourceVersion an informer compares updates by. */
	record Listed(KubeObject view, String resourceVersion) {
	}

	/**
	 * Reads the API server's answer to a list of one kind (a {@code NodeList}, in any property order) straight into
	 * the kind's views, as a file's objects are read: a page of full objects with managedFields never exists in
	 * memory. Items that say no apiVersion or kind (the API server omits them for built-in kinds) are of the kind
	 * asked for.
	 *
	 * @param parser at the start of the answer
	 * @param kind the kind listed
	 * @param apiVersion the version it was listed at
	 * @throws IllegalStateException for an answer that is no list
	 */
	static ListPage listPage(JsonParser parser, WatchedKind kind, String apiVersion) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			throw new IllegalStateException("the answer is not a JSON object");
		}
		String resourceVersion = null;
		String continueToken = null;
		List<Listed> items = new ArrayList<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if (name.equals("metadata") && token == JsonToken.START_OBJECT) {
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken value = parser.nextToken();
					if (field.equals("resourceVersion")) {
						resourceVersion = ViewBuilder.text(parser, value);
					}
					else if (field.equals("continue")) {
						continueToken = ViewBuilder.text(parser, value);
					}
					else {
						parser.skipChildren();
					}
				}
			}
			else if (name.equals("items") && token == JsonToken.START_ARRAY) {
				while (parser.nextToken() != JsonToken.END_ARRAY) {
					if (parser.currentToken() != JsonToken.START_OBJECT) {
						throw new IllegalStateException("item " + (items.size() + 1) + " is not an object");
					}
					items.add(listed(parser, kind, apiVersion));
				}
			}
			else if (name.equals("items") && token != JsonToken.VALUE_NULL) {
				throw new IllegalStateException("its items are not a list");
			}
			else {
				parser.skipChildren();
			}
		}
		return new ListPage(resourceVersion, continueToken, items);
	}

	private static Listed listed(JsonParser parser, WatchedKind kind, String listApiVersion) {
		ViewBuilder view = new ViewBuilder(kind);
		String apiVersion = null;
		String kindName = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if (name.equals("apiVersion")) {
				apiVersion = ViewBuilder.text(parser, token);
			}
			else if (name.equals("kind")) {
				kindName = ViewBuilder.text(parser, token);
			}
			else {
				view.property(name, parser);
			}
		}
		return new Listed(view.build((apiVersion != null) ? apiVersion : listApiVersion,
				(kindName != null) ? kindName : kind.kind()), view.resourceVersion);
	}

	static boolean isListKind(String kind) {
		return kind.equals("List") || kind.endsWith("List");
	}

	/** The kind of a typed list's items ({@code NodeList}: {@code Node}); {@code null} for a plain List. */
	static String itemKind(String listKind) {
		return listKind.equals("List") ? null : listKind.substring(0, listKind.length() - "List".length());
	}

	static WatchedKind watchedKind(String apiVersion, String kind) {
		if (apiVersion == null || kind == null) {
			return null;
		}
		for (WatchedKind watched : WatchedKind.values()) {
			if (watched.matches(apiVersion, kind)) {
				return watched;
			}
		}
		return null;
	}

	private static boolean isYamlNull(String value) {
		return value.isEmpty() || "null".equals(value) || "~".equals(value);
	}

}
