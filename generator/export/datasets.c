#include "export/datasets.h"

#define N(a) ((int)(sizeof a / sizeof a[0]))
#define INT(n) {n, PARQUET_INT32, 0, 0}
#define BIG(n) {n, PARQUET_INT64, 0, 0}
#define DBL(n) {n, PARQUET_DOUBLE, 0, 0}
#define STR(n) {n, PARQUET_STRING, 0, 0}
#define LIST(n) {n, PARQUET_STRING_LIST, 0, 0}
#define BOOL(n) {n, PARQUET_BOOLEAN, 0, 0}
#define DATE(n) {n, PARQUET_DATE, 0, 0}
#define TIME(n) {n, PARQUET_TIMESTAMP, 0, 0}
#define DEC(n, p, s) {n, PARQUET_DECIMAL, p, s}

/* SQL for the select lists, where a column's text is not already what copy_row reads. */
#define DAYS(x) "(" x " - DATE '1970-01-01')"
#define MICROS(x) "(extract(epoch FROM " x ") * 1000000)::int8"
#define SCALE2(x) "round(" x ", 2)"

static const parquet_column DAILY[] = {INT("mal_id"), INT("rank"), INT("popularity"), DEC("score", 3, 2),
                                       INT("scored_by"), INT("members"), INT("favorites"), LIST("genres"),
                                       STR("etl_run_id")};
static const parquet_column ANIME[] = {
    INT("mal_id"), STR("title"), STR("title_english"), LIST("genres"), DEC("score", 3, 2), INT("scored_by"),
    INT("rank"), INT("popularity"), INT("members"), INT("favorites"), INT("episodes"), STR("status"),
    STR("season"), INT("year"), STR("rating"), LIST("studios"), STR("image_url"), STR("synopsis"),
    TIME("processed_at"), STR("etl_run_id")};
static const parquet_column ETL_LOGS[] = {STR("run_id"), TIME("start_time"), TIME("end_time"), STR("status"),
                                          STR("pipeline_step"), INT("rows_processed"), STR("error_message"),
                                          INT("api_request_count")};
static const parquet_column MOMENTUM[] = {INT("mal_id"), INT("first_rank"), INT("last_rank"), INT("rank_momentum"),
                                          DBL("avg_rank"), DBL("rank_volatility"), DEC("score_momentum", 5, 2),
                                          INT("n_days")};
static const parquet_column SIGNIFICANCE[] = {INT("mal_id"), STR("metric"), INT("window_days"), INT("n"),
                                              DBL("slope"), DBL("intercept"), DBL("r_squared"), DBL("std_err"),
                                              DBL("t_stat"), DBL("p_value"), BOOL("significant"), STR("direction")};
static const parquet_column VOLATILITY[] = {INT("mal_id"), DBL("volatility7"), DBL("volatility30"),
                                            DBL("volatility90"), INT("stability_rank"), STR("class")};
static const parquet_column PERCENTILES[] = {STR("genre"), INT("mal_id"), DBL("score_percentile"),
                                             DBL("members_percentile"), DBL("momentum_percentile"), DBL("p25"),
                                             DBL("p50"), DBL("p75"), DBL("p90")};
static const parquet_column CORRELATION[] = {STR("kind"), STR("genre_a"), STR("genre_b"), INT("mal_id"), DBL("r"),
                                             INT("n")};
static const parquet_column TRENDING[] = {STR("metric"), INT("position"), INT("mal_id"), STR("title"),
                                          INT("current_rank"), INT("previous_rank"), INT("rank_change"),
                                          DEC("current_score", 3, 2), DEC("previous_score", 3, 2),
                                          DEC("score_change", 3, 2), DATE("first_appearance"), INT("days_in_top10"),
                                          BOOL("ongoing")};

/* A trending entry's field, typed; absent fields are NULL. */
#define ENTRY_INT(f) "(e.v->>'" f "')::int4"
#define ENTRY_SCORE(f) SCALE2("(e.v->>'" f "')::numeric")

const export_dataset EXPORT_DATASETS[] = {
    {"daily_rankings", "snapshot_date", "\"snapshotDate\"",
     "\"malId\", rank, popularity, score, \"scoredBy\", members, favorites, genres, \"etlRunId\"",
     "FROM \"DailyRankings\"", NULL, DAILY, N(DAILY),
     "one row per anime and snapshot date, as the ETL stored it"},
    {"anime", NULL, NULL,
     "\"malId\", title, \"titleEnglish\", genres, score, \"scoredBy\", rank, popularity, members,"
     " favorites, episodes, status, season, year, rating, studios, \"imageUrl\", synopsis, " MICROS("\"processedAt\"")
     ", \"etlRunId\"",
     "FROM \"ProcessedAnime\"", "\"malId\"", ANIME, N(ANIME), "every anime as of the last ETL run"},
    {"etl_logs", NULL, NULL,
     "\"runId\", " MICROS("\"startTime\"") ", " MICROS("\"endTime\"") ", status, \"pipelineStep\", \"rowsProcessed\","
     " \"errorMessage\", \"apiRequestCount\"",
     "FROM \"EtlLogs\"", "\"startTime\", id", ETL_LOGS, N(ETL_LOGS), "every ETL run: timing, rows, requests, errors"},
    {"rolling_momentum", "as_of_date", "\"asOf\"",
     "\"malId\", \"firstRank\", \"lastRank\", \"rankMomentum\", \"avgRank\", \"rankVolatility\", \"scoreMomentum\", \"nDays\"",
     "FROM \"RollingMomentumAnalysis\"", "\"malId\"", MOMENTUM, N(MOMENTUM), "30-day rank and score momentum"},
    {"trend_significance", "as_of_date", "\"asOf\"",
     "\"malId\", metric, \"windowDays\", n, slope, intercept, \"rSquared\", \"stdErr\", \"tStat\", \"pValue\","
     " significant, direction",
     "FROM \"TrendSignificance\"", "\"malId\", metric, \"windowDays\"", SIGNIFICANCE, N(SIGNIFICANCE),
     "least-squares trends of rank and score with p-values"},
    {"volatility_rankings", "as_of_date", "\"asOf\"",
     "\"malId\", volatility7, volatility30, volatility90, \"stabilityRank\", class",
     "FROM \"VolatilityRankings\"", "\"malId\"", VOLATILITY, N(VOLATILITY), "rank volatility over 7, 30, 90 days"},
    {"genre_percentiles", "as_of_date", "\"asOf\"",
     "genre, \"malId\", \"scorePercentile\", \"membersPercentile\", \"momentumPercentile\", p25, p50, p75, p90",
     "FROM \"GenrePercentiles\"", "genre, \"malId\" NULLS FIRST", PERCENTILES, N(PERCENTILES),
     "percentiles within each genre, and each genre's score quantiles (mal_id NULL)"},
    {"trend_correlation", "as_of_date", "\"asOf\"", "kind, \"genreA\", \"genreB\", \"malId\", r, n",
     "FROM \"TrendCorrelation\"", "kind, \"genreA\", \"genreB\", \"malId\"", CORRELATION, N(CORRELATION),
     "Pearson r between genres, and of each anime against the market"},
    /* every list of the trending document, one row per entry */
    {"trending", "as_of_date", "t.\"asOf\"",
     "m.key, e.pos, " ENTRY_INT("malId") ", e.v->>'title', " ENTRY_INT("currentRank") ", " ENTRY_INT("previousRank")
     ", " ENTRY_INT("rankChange") ", " ENTRY_SCORE("currentScore") ", " ENTRY_SCORE("previousScore") ", "
     ENTRY_SCORE("scoreChange") ", " DAYS("(e.v->>'firstAppearance')::date") ", " ENTRY_INT("daysInTop10")
     ", (e.v->>'ongoing')::boolean",
     "FROM \"TrendingSnapshots\" t, jsonb_each(t.document) m(key, list),"
     " jsonb_array_elements(CASE WHEN jsonb_typeof(m.list) = 'array' THEN m.list ELSE '[]' END)"
     " WITH ORDINALITY e(v, pos)",
     "m.key, e.pos", TRENDING, N(TRENDING), "the six trending lists of each day a site was built for"},
};
const int EXPORT_NUM_DATASETS = N(EXPORT_DATASETS);
