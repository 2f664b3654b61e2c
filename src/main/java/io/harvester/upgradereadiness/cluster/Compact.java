package io.harvester.upgradereadiness.cluster;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Immutable, compact copies of the maps and lists that a snapshot keeps of every object (see {@link Projection}).
 * <p>
 * Parsed JSON is made of {@code LinkedHashMap}s: about 56 bytes per map, a hash table, and 40 bytes per entry. Held
 * for hundreds of thousands of objects, that bookkeeping outweighs the data (measured on 305 000 objects: 430 of
 * 715 MiB). The copies here hold a map's keys and values in one array, in their order, and look keys up by a scan,
 * which for the handful of entries of a Kubernetes object's fields is as fast as hashing; a map of more than
 * {@value #MAX_SCANNED} entries stays a {@code LinkedHashMap} (unmodifiable). Short strings (condition types and
 * statuses, phases, node names, {@code "true"}) are interned, as the same few values repeat across objects.
 */
final class Compact {

	/** Maps up to this size are scanned; larger ones keep a hash table. */
	static final int MAX_SCANNED = 16;

	/** Strings up to this length are interned. */
	private static final int MAX_INTERNED_LENGTH = 16;

	private Compact() {
	}

	/** A compact, immutable deep copy of a parsed value; other values are returned as they are. */
	static Object copy(Object value) {
		if (value instanceof CompactMap || value instanceof CompactList || value instanceof KeptFields) {
			// already compact and immutable (and a projected item keeps refusing the fields it does not keep)
			return value;
		}
		if (value instanceof Map<?, ?> map) {
			return map(map);
		}
		if (value instanceof List<?> list) {
			Object[] items = new Object[list.size()];
			int i = 0;
			for (Object item : list) {
				items[i++] = copy(item);
			}
			return new CompactList(items);
		}
		if (value instanceof String text) {
			return string(text);
		}
		return value;
	}

	/** A compact, immutable deep copy of a map, keys in their order. */
	static Map<String, Object> map(Map<?, ?> map) {
		if (map.isEmpty()) {
			return Map.of();
		}
		if (map.size() > MAX_SCANNED) {
			Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
			map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
			return Collections.unmodifiableMap(copy);
		}
		Object[] entries = new Object[map.size() * 2];
		int i = 0;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			entries[i++] = string(String.valueOf(entry.getKey()));
			entries[i++] = copy(entry.getValue());
		}
		return new CompactMap(entries);
	}

	/**
	 * A map of keys and values that are already compact (as a streaming reader builds them), alternating in the
	 * list; a key given twice keeps its last value, as JSON parsers do.
	 */
	static Map<String, Object> ofEntries(List<Object> keysAndValues) {
		int size = keysAndValues.size() / 2;
		if (size == 0) {
			return Map.of();
		}
		if (size > MAX_SCANNED) {
			Map<String, Object> copy = new LinkedHashMap<>(size * 2);
			for (int i = 0; i < keysAndValues.size(); i += 2) {
				copy.put((String) keysAndValues.get(i), keysAndValues.get(i + 1));
			}
			return Collections.unmodifiableMap(copy);
		}
		Object[] entries = new Object[keysAndValues.size()];
		int length = 0;
		for (int i = 0; i < keysAndValues.size(); i += 2) {
			Object key = keysAndValues.get(i);
			int at = -1;
			for (int j = 0; j < length; j += 2) {
				if (entries[j].equals(key)) {
					at = j;
					break;
				}
			}
			if (at < 0) {
				at = length;
				length += 2;
				entries[at] = key;
			}
			entries[at + 1] = keysAndValues.get(i + 1);
		}
		return new CompactMap((length == entries.length) ? entries : java.util.Arrays.copyOf(entries, length));
	}

	/**
	 * A list of items that are already compact, whose maps keep only the named fields (a {@link Projection} step
	 * {@code name[]}): reading another field of an item is refused, so that a check reading something new fails its
	 * tests instead of seeing it absent.
	 */
	static List<Object> items(Object[] items, Set<String> kept, String list) {
		for (int i = 0; i < items.length; i++) {
			if (items[i] instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				Map<String, Object> fields = (Map<String, Object>) map;
				items[i] = new KeptFields(fields, kept, list);
			}
		}
		return (items.length == 0) ? List.of() : new CompactList(items);
	}

	/** A list item's map of the fields a projection keeps of it. */
	private static final class KeptFields extends AbstractMap<String, Object> {

		private final Map<String, Object> fields;

		private final Set<String> kept;

		private final String list;

		KeptFields(Map<String, Object> fields, Set<String> kept, String list) {
			this.fields = fields;
			this.kept = kept;
			this.list = list;
		}

		@Override
		public Object get(Object key) {
			return this.fields.get(kept(key));
		}

		@Override
		public boolean containsKey(Object key) {
			return this.fields.containsKey(kept(key));
		}

		private Object kept(Object key) {
			if (!this.kept.contains(key)) {
				throw new IllegalStateException("Field " + key + " of the items of " + this.list + " is not kept: add "
						+ this.list + "." + key + " to the projection of its WatchedKind");
			}
			return key;
		}

		@Override
		public int size() {
			return this.fields.size();
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return this.fields.entrySet();
		}

	}

	/** A list of items that are already compact. */
	static List<Object> ofItems(List<Object> items) {
		return items.isEmpty() ? List.of() : new CompactList(items.toArray());
	}

	static String string(String text) {
		return (text.length() <= MAX_INTERNED_LENGTH) ? text.intern() : text;
	}

	/** Keys and values alternating in one array. */
	private static final class CompactMap extends AbstractMap<String, Object> {

		private final Object[] entries;

		CompactMap(Object[] entries) {
			this.entries = entries;
		}

		@Override
		public int size() {
			return this.entries.length / 2;
		}

		@Override
		public Object get(Object key) {
			int i = index(key);
			return (i < 0) ? null : this.entries[i + 1];
		}

		@Override
		public boolean containsKey(Object key) {
			return index(key) >= 0;
		}

		private int index(Object key) {
			for (int i = 0; i < this.entries.length; i += 2) {
				Object candidate = this.entries[i];
				if (candidate == key || candidate.equals(key)) {
					return i;
				}
			}
			return -1;
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return new AbstractSet<>() {

				@Override
				public int size() {
					return CompactMap.this.size();
				}

				@Override
				public Iterator<Entry<String, Object>> iterator() {
					return new Iterator<>() {

						private int next;

						@Override
						public boolean hasNext() {
							return this.next < CompactMap.this.entries.length;
						}

						@Override
						public Entry<String, Object> next() {
							if (!hasNext()) {
								throw new NoSuchElementException();
							}
							Object[] entries = CompactMap.this.entries;
							Entry<String, Object> entry = new SimpleImmutableEntry<>((String) entries[this.next],
									entries[this.next + 1]);
							this.next += 2;
							return entry;
						}

					};
				}

			};
		}

	}

	/** The items in one array; {@code null} items allowed, as JSON has them. */
	private static final class CompactList extends AbstractList<Object> implements RandomAccess {

		private final Object[] items;

		CompactList(Object[] items) {
			this.items = items;
		}

		@Override
		public Object get(int index) {
			return this.items[index];
		}

		@Override
		public int size() {
			return this.items.length;
		}

	}

}
