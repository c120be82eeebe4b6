#include "analytics/stat_tables.h"

const stat_table STAT_TABLES[] = {
    [STAT_MOMENTUM] = {"RollingMomentumAnalysis", "momentum",
                       "\"asOf\", \"malId\", \"firstRank\", \"lastRank\", \"rankMomentum\", \"avgRank\","
                       " \"rankVolatility\", \"scoreMomentum\", \"nDays\"",
                       "\"malId\""},
    [STAT_SIGNIFICANCE] = {"TrendSignificance", "significance",
                           "\"asOf\", \"malId\", \"metric\", \"windowDays\", \"n\", \"slope\", \"intercept\","
                           " \"rSquared\", \"stdErr\", \"tStat\", \"pValue\", \"significant\", \"direction\"",
                           "\"malId\", metric, \"windowDays\""},
    [STAT_VOLATILITY] = {"VolatilityRankings", "volatility",
                         "\"asOf\", \"malId\", \"volatility7\", \"volatility30\", \"volatility90\","
                         " \"stabilityRank\", \"class\"",
                         "\"malId\""},
    [STAT_PERCENTILES] = {"GenrePercentiles", "percentiles",
                          "\"asOf\", \"genre\", \"malId\", \"scorePercentile\", \"membersPercentile\","
                          " \"momentumPercentile\", \"p25\", \"p50\", \"p75\", \"p90\"",
                          "genre, \"malId\" NULLS FIRST"},
    [STAT_CORRELATION] = {"TrendCorrelation", "correlation",
                          "\"asOf\", \"kind\", \"genreA\", \"genreB\", \"malId\", \"r\", \"n\"",
                          "kind, \"genreA\", \"genreB\", \"malId\""},
};
_Static_assert(sizeof STAT_TABLES / sizeof STAT_TABLES[0] == STAT_NUM_TABLES,
               "one entry in STAT_TABLES for each stat_table_id");
