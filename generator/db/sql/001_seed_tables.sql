-- The seed platform's tables, with its quoted camelCase names and column types, so SQL
-- written for the original platform runs unchanged.

CREATE TABLE "RawAnimeData" (
    "id"         SERIAL PRIMARY KEY,
    "malId"      INTEGER NOT NULL,
    "rawJson"    JSONB NOT NULL,
    "sourceApi"  TEXT NOT NULL DEFAULT 'jikan',
    "endpoint"   TEXT NOT NULL,
    "ingestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "etlRunId"   TEXT
);
CREATE INDEX "RawAnimeData_malId_idx" ON "RawAnimeData" ("malId");
CREATE INDEX "RawAnimeData_ingestedAt_idx" ON "RawAnimeData" ("ingestedAt");
CREATE INDEX "RawAnimeData_etlRunId_idx" ON "RawAnimeData" ("etlRunId");

CREATE TABLE "ProcessedAnime" (
    "id"           SERIAL PRIMARY KEY,
    "malId"        INTEGER NOT NULL UNIQUE,
    "title"        TEXT NOT NULL,
    "titleEnglish" TEXT,
    "genres"       TEXT[] NOT NULL DEFAULT '{}',
    "score"        NUMERIC(3,2),
    "scoredBy"     INTEGER,
    "rank"         INTEGER,
    "popularity"   INTEGER,
    "members"      INTEGER,
    "favorites"    INTEGER,
    "episodes"     INTEGER,
    "status"       TEXT,
    "season"       TEXT,
    "year"         INTEGER,
    "rating"       TEXT,
    "studios"      TEXT[] NOT NULL DEFAULT '{}',
    "imageUrl"     TEXT,
    "synopsis"     TEXT,
    "processedAt"  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "etlRunId"     TEXT
);
CREATE INDEX "ProcessedAnime_rank_idx" ON "ProcessedAnime" ("rank");
CREATE INDEX "ProcessedAnime_season_year_idx" ON "ProcessedAnime" ("year", "season");

CREATE TABLE "DailyRankings" (
    "id"           SERIAL PRIMARY KEY,
    "malId"        INTEGER NOT NULL,
    "snapshotDate" DATE NOT NULL,
    "rank"         INTEGER,
    "popularity"   INTEGER,
    "score"        NUMERIC(3,2),
    "scoredBy"     INTEGER,
    "members"      INTEGER,
    "favorites"    INTEGER,
    "genres"       TEXT[] NOT NULL DEFAULT '{}',
    "etlRunId"     TEXT,
    CONSTRAINT "DailyRankings_malId_snapshotDate_key" UNIQUE ("malId", "snapshotDate")
);
-- Analytics read whole days ("snapshotDate") and per-anime histories ("malId", "snapshotDate",
-- served by the unique constraint's index).
CREATE INDEX "DailyRankings_snapshotDate_idx" ON "DailyRankings" ("snapshotDate");
CREATE INDEX "DailyRankings_snapshotDate_rank_idx" ON "DailyRankings" ("snapshotDate", "rank");

CREATE TABLE "EtlLogs" (
    "id"              SERIAL PRIMARY KEY,
    "runId"           TEXT NOT NULL UNIQUE,
    "startTime"       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endTime"         TIMESTAMP(3),
    "status"          TEXT NOT NULL,
    "pipelineStep"    TEXT NOT NULL,
    "rowsProcessed"   INTEGER NOT NULL DEFAULT 0,
    "errorMessage"    TEXT,
    "apiRequestCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt"       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "EtlLogs_startTime_idx" ON "EtlLogs" ("startTime");
