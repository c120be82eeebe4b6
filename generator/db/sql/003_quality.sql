-- Data-quality results: one row per expectation per evaluation, kept with the run.
CREATE TABLE "QualityResults" (
    "id"            SERIAL PRIMARY KEY,
    "runId"         TEXT NOT NULL,
    "snapshotDate"  DATE NOT NULL,
    "expectation"   TEXT NOT NULL,
    "column"        TEXT,
    "critical"      BOOLEAN NOT NULL,
    "success"       BOOLEAN NOT NULL,
    "observedValue" TEXT,
    "details"       TEXT,
    "evaluatedAt"   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "QualityResults_runId_idx" ON "QualityResults" ("runId");
CREATE INDEX "QualityResults_snapshotDate_idx" ON "QualityResults" ("snapshotDate");
