-- The statistical analytics tables, with the seed platform's names. Every row belongs to
-- one as-of date ("asOf"); `catlog analytics refresh --as-of A` replaces A's rows in one
-- transaction, so older as-of dates stay available for comparison.

-- Per anime with >= 2 snapshots in the 30 days A-29..A.
CREATE TABLE "RollingMomentumAnalysis" (
    "asOf"           DATE NOT NULL,
    "malId"          INTEGER NOT NULL,
    "firstRank"      INTEGER,            -- first non-null rank in the window
    "lastRank"       INTEGER,            -- last non-null rank in the window
    "rankMomentum"   INTEGER,            -- firstRank - lastRank, positive = climbing
    "avgRank"        DOUBLE PRECISION,
    "rankVolatility" DOUBLE PRECISION,   -- sample stddev of day-over-day rank changes
    "scoreMomentum"  NUMERIC(5,2),       -- last non-null score - first non-null score
    "nDays"          INTEGER NOT NULL,   -- snapshots in the window
    PRIMARY KEY ("asOf", "malId")
);

-- Ordinary least squares of score or rank on days since the window's first day.
CREATE TABLE "TrendSignificance" (
    "asOf"        DATE NOT NULL,
    "malId"       INTEGER NOT NULL,
    "metric"      TEXT NOT NULL CHECK ("metric" IN ('score', 'rank')),
    "windowDays"  INTEGER NOT NULL CHECK ("windowDays" IN (30, 90)),
    "n"           INTEGER NOT NULL,     -- points with a non-null metric
    "slope"       DOUBLE PRECISION NOT NULL,
    "intercept"   DOUBLE PRECISION NOT NULL,
    "rSquared"    DOUBLE PRECISION,     -- NULL for a constant metric
    "stdErr"      DOUBLE PRECISION NOT NULL,
    "tStat"       DOUBLE PRECISION,     -- NULL for a constant metric; +-Infinity for a perfect line
    "pValue"      DOUBLE PRECISION,     -- two-sided, Student t with n-2 degrees of freedom
    "significant" BOOLEAN NOT NULL,
    "direction"   TEXT NOT NULL CHECK ("direction" IN ('up', 'down', 'flat')),
    PRIMARY KEY ("asOf", "malId", "metric", "windowDays")
);

-- Sample stddev of rank over the last 7, 30 and 90 days.
CREATE TABLE "VolatilityRankings" (
    "asOf"          DATE NOT NULL,
    "malId"         INTEGER NOT NULL,
    "volatility7"   DOUBLE PRECISION,
    "volatility30"  DOUBLE PRECISION,
    "volatility90"  DOUBLE PRECISION,
    "stabilityRank" INTEGER,            -- rank() by volatility30 ascending; 1 = most stable
    "class"         TEXT CHECK ("class" IN ('stable', 'moderate', 'volatile')),
    PRIMARY KEY ("asOf", "malId")
);

-- Per genre and anime: percent_rank() within the genre on A. Per genre ("malId" NULL):
-- score quantiles by percentile_cont.
CREATE TABLE "GenrePercentiles" (
    "asOf"               DATE NOT NULL,
    "genre"              TEXT NOT NULL,
    "malId"              INTEGER,
    "scorePercentile"    DOUBLE PRECISION,
    "membersPercentile"  DOUBLE PRECISION,
    "momentumPercentile" DOUBLE PRECISION,
    "p25"                DOUBLE PRECISION,
    "p50"                DOUBLE PRECISION,
    "p75"                DOUBLE PRECISION,
    "p90"                DOUBLE PRECISION,
    CONSTRAINT "GenrePercentiles_key" UNIQUE NULLS NOT DISTINCT ("asOf", "genre", "malId")
);

-- Pearson r: genre pair daily mean scores over 90 days, or an anime's daily score changes
-- against the market's over 30 days.
CREATE TABLE "TrendCorrelation" (
    "asOf"   DATE NOT NULL,
    "kind"   TEXT NOT NULL CHECK ("kind" IN ('genre_pair', 'market')),
    "genreA" TEXT,
    "genreB" TEXT,
    "malId"  INTEGER,
    "r"      DOUBLE PRECISION,          -- NULL where a series is constant
    "n"      INTEGER NOT NULL,
    CONSTRAINT "TrendCorrelation_key" UNIQUE NULLS NOT DISTINCT ("asOf", "kind", "genreA", "genreB", "malId"),
    CONSTRAINT "TrendCorrelation_shape" CHECK (
        ("kind" = 'genre_pair' AND "genreA" IS NOT NULL AND "genreB" IS NOT NULL AND "malId" IS NULL)
        OR ("kind" = 'market' AND "genreA" IS NULL AND "genreB" IS NULL AND "malId" IS NOT NULL))
);
