-- The prediction history: one row per prediction, unique per (model, id).
-- Times are microseconds since the epoch (UTC). JSON columns hold the full values; the narrow
-- pred_* / outcome_* columns are written alongside so that quality metrics read a few numbers
-- instead of parsing JSON.
CREATE TABLE augur_prediction (
  model         VARCHAR(200)     NOT NULL,
  id            VARCHAR(128)     NOT NULL,
  version       VARCHAR(100)     NOT NULL,
  task          VARCHAR(40)      NOT NULL,
  created_at    BIGINT           NOT NULL,
  observation   TEXT             NOT NULL,
  prediction    TEXT             NOT NULL,
  pred_label    VARCHAR(200),
  pred_score    DOUBLE PRECISION,
  latency_ms    DOUBLE PRECISION NOT NULL,
  outcome       TEXT,
  outcome_label VARCHAR(200),
  outcome_value DOUBLE PRECISION,
  outcome_at    BIGINT,
  PRIMARY KEY (model, id)
);

CREATE INDEX augur_prediction_recent ON augur_prediction (model, created_at, id);
