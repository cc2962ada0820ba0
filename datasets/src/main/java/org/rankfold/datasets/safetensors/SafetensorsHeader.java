package org.rankfold.datasets.safetensors;

import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the tensors in data order (ascending offsets, contiguous from 0), the
 * optional {@code __metadata__} (string to string), the header's JSON length and where the data starts.
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long headerLength) {
    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** File offset of the data section: 8 + header length. */
    public long dataStart() {
        return 8 + headerLength;
    }

    /** Bytes of the data section (the end offset of the last tensor, 0 without tensors). */
    public long dataLength() {
        return tensors.isEmpty() ? 0 : tensors.getLast().end();
    }
}
