-- One row per `catlog nightly`: the chain etl -> quality -> analytics -> build -> publish,
-- with each step's outcome and duration, for the pipeline page and for alerts.
CREATE TABLE "PipelineRuns" (
    "id"           SERIAL PRIMARY KEY,
    "runId"        TEXT NOT NULL UNIQUE,
    "startTime"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endTime"      TIMESTAMP(3),
    "status"       TEXT NOT NULL CHECK ("status" IN ('RUNNING', 'SUCCESS', 'FAILED')),
    "failedStep"   TEXT,
    "exitCode"     INTEGER,
    "steps"        JSONB NOT NULL DEFAULT '[]',
    "errorMessage" TEXT,
    "etlRunId"     TEXT
);
CREATE INDEX "PipelineRuns_startTime_idx" ON "PipelineRuns" ("startTime");
