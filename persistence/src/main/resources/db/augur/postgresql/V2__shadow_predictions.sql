-- Shadow predictions: a shadow version's prediction of an answered observation is kept under the
-- same id with shadow = TRUE, so the key becomes (model, id, shadow). The index leads with shadow
-- so that the reads of answered predictions (shadow = FALSE) stay on it.
ALTER TABLE augur_prediction ADD COLUMN shadow BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE augur_prediction DROP CONSTRAINT augur_prediction_pkey;

ALTER TABLE augur_prediction ADD PRIMARY KEY (model, id, shadow);

DROP INDEX augur_prediction_recent;

CREATE INDEX augur_prediction_recent ON augur_prediction (model, shadow, created_at, id);
