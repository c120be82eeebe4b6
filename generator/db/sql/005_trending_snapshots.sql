-- The trending document of every as-of date a site was built for, so the Atom feed can
-- list past days without recomputing them.
CREATE TABLE "TrendingSnapshots" (
    "asOf"     DATE PRIMARY KEY,
    "document" JSONB NOT NULL
);
