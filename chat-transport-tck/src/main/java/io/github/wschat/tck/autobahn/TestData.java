package io.github.wschat.tck.autobahn;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The payloads of the compression cases: of the five kinds the suite uses (a large JSON document, a
 * greyscale bitmap, prose, a large HTML page, a PDF's mostly compressed bytes), made here from a fixed
 * seed, so that every run compresses the same bytes and the kit ships no one's files. Thread-safe.
 */
enum TestData {
    JSON("JSON data", false, 194_056),
    BITMAP("a 512x512 greyscale bitmap", true, 263_222),
    PROSE("prose (Latin-1 letters)", true, 222_218),
    HTML("an HTML page", false, 263_647),
    PDF_LIKE("mostly incompressible bytes, as a PDF's", true, 1_042_328);

    private static final String[] WORDS = {"der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des",
        "auf", "f\u00fcr", "ist", "im", "dem", "nicht", "ein", "Die", "eine", "als", "auch", "es", "an", "werden", "aus",
        "er", "hat", "da\u00df", "sie", "nach", "wird", "bei", "einer", "Der", "um", "am", "sind", "noch", "wie",
        "einem", "\u00fcber", "einen", "Das", "so", "Sie", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur",
        "bis", "mehr", "durch", "man", "sein", "wurde", "sei", "Faust", "Mephistopheles", "Gretchen", "Geist",
        "Himmel", "Erde", "Nacht", "Welt", "Herz"};

    private final String description;
    private final boolean binary;
    private final int length;
    private volatile byte[] bytes;

    TestData(String description, boolean binary, int length) {
        this.description = description;
        this.binary = binary;
        this.length = length;
    }

    String description() {
        return description;
    }

    /** Whether the cases send it in binary messages (else text: it is ASCII, so any slice is UTF-8). */
    boolean binary() {
        return binary;
    }

    /** The payload; made at first use. */
    byte[] bytes() {
        byte[] made = bytes;
        if (made == null) {
            made = make();
            bytes = made;
        }
        return made;
    }

    private byte[] make() {
        Random random = new Random(0x5EED + ordinal());
        StringBuilder text = new StringBuilder(length + 1024);
        switch (this) {
            case JSON -> {
                text.append('[');
                for (int i = 0; text.length() < length; i++) {
                    text.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"user\":\"user")
                            .append(random.nextInt(5000)).append("\",\"score\":").append(random.nextInt(100_000) / 100.0)
                            .append(",\"tags\":[\"t").append(random.nextInt(40)).append("\",\"t").append(random.nextInt(40))
                            .append("\"],\"active\":").append(random.nextBoolean()).append(",\"text\":\"");
                    words(text, random, 4 + random.nextInt(12), true);
                    text.append("\"}");
                }
                return ascii(text);
            }
            case HTML -> {
                text.append("<!DOCTYPE html><html><head><title>Page</title></head><body>\n");
                for (int i = 0; text.length() < length; i++) {
                    text.append("<div class=\"item item-").append(i % 7).append("\"><h2>Section ").append(i)
                            .append("</h2><p>");
                    words(text, random, 20 + random.nextInt(40), true);
                    text.append("</p><a href=\"/page/").append(random.nextInt(1000)).append("\">more</a></div>\n");
                }
                return ascii(text);
            }
            case PROSE -> {
                while (text.length() < length) {
                    words(text, random, 8 + random.nextInt(10), false);
                    text.append(".\n");
                }
                byte[] latin1 = text.toString().getBytes(StandardCharsets.ISO_8859_1);
                return java.util.Arrays.copyOf(latin1, length);
            }
            case BITMAP -> {
                byte[] image = new byte[length];
                for (int i = 0; i < length; i++) {
                    int x = i % 512;
                    int y = i / 512;
                    image[i] = (byte) ((x * 3 + y * 5 + (int) (40 * Math.sin(x / 17.0) * Math.cos(y / 23.0))
                            + random.nextInt(8)) & 0xff);
                }
                return image;
            }
            default -> {
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                for (int i = 0; i < length; i += 4096) {
                    // a little structure, as a PDF's object headers between its compressed streams
                    byte[] header = ("\n" + (i / 4096) + " 0 obj << /Length 4000 /Filter /FlateDecode >> stream\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(header, 0, noise, i, Math.min(header.length, length - i));
                }
                return noise;
            }
        }
    }

    private static void words(StringBuilder text, Random random, int count, boolean ascii) {
        for (int w = 0; w < count; w++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(w == 0 ? "" : " ").append(ascii ? word.replace('\u00fc', 'u').replace('\u00df', 's') : word);
        }
    }

    private byte[] ascii(StringBuilder text) {
        text.setLength(length);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
