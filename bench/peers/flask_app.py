"""The tutorials' stack as a benchmark peer: Flask + peewee + SQLite, run under gunicorn.

It is seed 004's app (`POST /predict {"id", "observation"}` -> `{"proba"}`, one peewee row per
prediction with a unique `observation_id`, saved before answering) with the same Titanic model
Augur serves: the sample's TorchScript file, its inputs encoded by the documented rules
(`samples/train/common.py`, the encoder the model was trained with). The tutorial's pandas
DataFrame step is left out, which only makes this peer faster.

    BENCH_MODEL_DIR=samples/models/titanic/1 BENCH_DB=/tmp/p.db \
      gunicorn -w 2 -b 127.0.0.1:18410 --chdir bench/peers flask_app:app
"""
import json
import os
import sys

import torch
from flask import Flask, jsonify, request
from peewee import FloatField, IntegerField, IntegrityError, Model, SqliteDatabase, TextField

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "samples", "train"))
from common import encode_tabular  # noqa: E402  the encoder the model was trained with

MODEL_DIR = os.environ["BENCH_MODEL_DIR"]
DB = SqliteDatabase(os.environ.get("BENCH_DB", "predictions.db"))


class Prediction(Model):
    observation_id = IntegerField(unique=True)
    observation = TextField()
    proba = FloatField()
    true_class = IntegerField(null=True)

    class Meta:
        database = DB


DB.create_tables([Prediction], safe=True)

with open(os.path.join(MODEL_DIR, "model.json"), encoding="utf-8") as fh:
    manifest = json.load(fh)
positive = manifest["output"]["labels"].index(manifest["output"]["positive"])
torch.set_num_threads(1)
model = torch.jit.load(os.path.join(MODEL_DIR, "model.pt"))
model.eval()

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    obs_dict = request.get_json()
    _id = obs_dict["id"]
    observation = obs_dict["observation"]
    x = torch.from_numpy(encode_tabular(manifest["inputs"], [observation]))
    with torch.no_grad():
        proba = float(torch.softmax(model(x), dim=1)[0, positive])
    response = {"proba": proba}
    p = Prediction(observation_id=_id, proba=proba, observation=request.data)
    try:
        p.save()
    except IntegrityError:
        error_msg = "ERROR: Observation ID: '{}' already exists".format(_id)
        response["error"] = error_msg
        print(error_msg)
        DB.rollback()
    return jsonify(response)
