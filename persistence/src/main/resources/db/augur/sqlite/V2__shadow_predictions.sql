-- Shadow predictions: a shadow version's prediction of an answered observation is kept under the
-- same id with shadow = TRUE, so the key becomes (model, id, shadow). SQLite cannot change a
-- primary key in place: the table is rebuilt. The index leads with shadow so that the reads of
-- answered predictions (shadow = FALSE) stay on it.
CREATE TABLE augur_prediction_v2 (
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
  shadow        BOOLEAN          NOT NULL DEFAULT FALSE,
  PRIMARY KEY (model, id, shadow)
);

INSERT INTO augur_prediction_v2 (model, id, version, task, created_at, observation, prediction,
    pred_label, pred_score, latency_ms, outcome, outcome_label, outcome_value, outcome_at, shadow)
  SELECT model, id, version, task, created_at, observation, prediction, pred_label, pred_score,
    latency_ms, outcome, outcome_label, outcome_value, outcome_at, FALSE
  FROM augur_prediction;

DROP TABLE augur_prediction;

ALTER TABLE augur_prediction_v2 RENAME TO augur_prediction;

CREATE INDEX augur_prediction_recent ON augur_prediction (model, shadow, created_at, id);
