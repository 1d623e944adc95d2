"""What an uploaded patient video or audio file must be: checked by its content, never by
its name or the type the browser claims.

- the container by its first bytes (``filetype``): MP4 or WebM for video, MP3, M4A or
  Ogg for audio;
- size (``PATIENT_MEDIA_MAX_SIZE``) before anything is read;
- what it holds and for how long (``PATIENT_MEDIA_MAX_SECONDS``) by ``ffprobe``, which
  reads every one of these containers (``mutagen`` reads no WebM) and fails on a file
  that only starts like a video; without ffprobe an upload is refused, never let through
  unchecked;
- captions (WebVTT): UTF-8 text starting with ``WEBVTT``, at most
  ``PATIENT_CAPTIONS_MAX_SIZE``.
"""

import json
import shutil
import subprocess  # noqa: S404 - ffprobe/ffmpeg with fixed arguments, no shell
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

VIDEO, AUDIO = "video", "audio"

# Container (by content) -> the kinds it may hold here, and the type browsers are sent.
CONTAINERS = {
    "mp4": ({VIDEO, AUDIO}, {VIDEO: "video/mp4", AUDIO: "audio/mp4"}),
    "webm": ({VIDEO}, {VIDEO: "video/webm"}),
    "m4a": ({AUDIO}, {AUDIO: "audio/mp4"}),
    "mp3": ({AUDIO}, {AUDIO: "audio/mpeg"}),
    "ogg": ({AUDIO}, {AUDIO: "audio/ogg"}),
}
ALLOWED = "MP4 or WebM video, or MP3, M4A or Ogg audio"
PROBE_TIMEOUT = 30


@dataclass(frozen=True)
class MediaFacts:
    kind: str  # VIDEO or AUDIO
    mime_type: str
    duration: float  # seconds
    width: int | None = None
    height: int | None = None


@contextmanager
def local_copy(file):
    """A path to the upload's bytes for ffprobe (an upload may be held in memory)."""
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        yield path()
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        file.seek(0)
        for chunk in file.chunks():
            copy.write(chunk)
        copy.flush()
        file.seek(0)
        yield copy.name


def head(file, size=262):
    file.seek(0)
    data = file.read(size)
    file.seek(0)
    return data


def check_media_file(file):
    """The facts of an acceptable upload; a ValidationError saying what is wrong otherwise."""
    limit = settings.PATIENT_MEDIA_MAX_SIZE
    if file.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)}. "
            "Shorten the clip or export it at a lower resolution.",
            code="too_large",
        )
    guessed = filetype.guess(head(file))
    container = guessed.extension if guessed else None
    if container not in CONTAINERS:
        found = f"a {guessed.mime} file" if guessed else "not a recognised audio or video file"
        raise ValidationError(
            f"This file is {found} (judged by its content, not its name). Upload {ALLOWED}.",
            code="wrong_type",
        )
    probe = run_ffprobe(file)
    streams = probe.get("streams", [])
    # Cover art in an audio file is a still picture, not video.
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    kind = VIDEO if video else AUDIO if audio else None
    kinds, mime_types = CONTAINERS[container]
    if kind not in kinds:
        raise ValidationError(
            f"This {container.upper()} file holds no playable "
            f"{' or '.join(sorted(kinds))}. Upload {ALLOWED}.",
            code="wrong_type",
        )
    try:
        duration = float(probe.get("format", {}).get("duration") or 0)
    except ValueError:
        duration = 0
    if duration <= 0:
        raise ValidationError(
            "The length of this file cannot be read; export it again.", code="unreadable"
        )
    longest = settings.PATIENT_MEDIA_MAX_SECONDS
    if duration > longest:
        raise ValidationError(
            f"This {kind} is {minutes(duration)} long; the limit is {minutes(longest)}. "
            "Trim it first.",
            code="too_long",
        )
    return MediaFacts(
        kind=kind,
        mime_type=mime_types[kind],
        duration=round(duration, 2),
        width=video[0].get("width") if video else None,
        height=video[0].get("height") if video else None,
    )


def minutes(seconds):
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d} min"


def run_ffprobe(file):
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise ValidationError(
            "Video and audio cannot be checked on this server (ffprobe is not installed), "
            "so uploads are refused. Ask the site administrators to install ffmpeg.",
            code="no_ffprobe",
        )
    with local_copy(file) as path:
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [ffprobe, "-v", "error", "-print_format", "json", "-show_format"]
                + ["-show_streams", path],
                capture_output=True,
                timeout=PROBE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ValidationError("This file took too long to read.", code="unreadable") from error
    if result.returncode != 0:
        raise ValidationError(
            "This file is damaged or not really audio or video: it cannot be read.",
            code="unreadable",
        )
    return json.loads(result.stdout or b"{}")


def poster_frame(file, duration):
    """A JPEG still from the video (one second in, or its middle if shorter), or None
    when ffmpeg is missing or fails: the poster is a convenience, not a check."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    at = f"{min(1.0, duration / 2):.2f}"
    with local_copy(file) as path:
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [ffmpeg, "-v", "error", "-ss", at, "-i", path, "-frames:v", "1"]
                + ["-f", "image2", "-c:v", "mjpeg", "-q:v", "4", "pipe:1"],
                capture_output=True,
                timeout=PROBE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
    return result.stdout if result.returncode == 0 and result.stdout else None


def check_captions(file):
    """WebVTT captions: small UTF-8 text whose first line starts with ``WEBVTT``."""
    limit = settings.PATIENT_CAPTIONS_MAX_SIZE
    if file.size > limit:
        raise ValidationError(
            f"The captions file is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            "The captions file is not UTF-8 text. Save it as a WebVTT (.vtt) file.",
            code="not_webvtt",
        ) from error
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(
            "The captions file is not WebVTT: its first line must be “WEBVTT”. "
            "Export the captions as .vtt (SubRip .srt files need converting).",
            code="not_webvtt",
        )
    if "-->" not in text:
        raise ValidationError(
            "The captions file has no cues (lines like “00:00:01.000 --> 00:00:04.000”).",
            code="not_webvtt",
        )
