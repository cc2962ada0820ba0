package org.rankfold.tools.report;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The configuration table shows "none"/"all" for the sentinels of no limit and no target. */
class ConfigurationValuesTest {

    @Test
    void sentinelsReadAsWords() throws Exception {
        var cfg = new ObjectMapper().readTree("{\"max_rank\": 2147483647, \"target_params_ratio\": 0.0,"
                + " \"target_macs_ratio\": 3.0, \"limit_train\": 0, \"limit_test\": 500, \"min_rank\": 1,"
                + " \"lr\": 0.0, \"inner\": {\"max_rank\": 2147483647}}");
        assertEquals(List.of(List.of("max_rank", "none"), List.of("target_params_ratio", "none"),
                List.of("target_macs_ratio", "3.0"), List.of("limit_train", "all"), List.of("limit_test", "500"),
                List.of("min_rank", "1"), List.of("lr", "0.0"), List.of("inner.max_rank", "none")), OverviewSection.flatten(cfg));
    }
}
