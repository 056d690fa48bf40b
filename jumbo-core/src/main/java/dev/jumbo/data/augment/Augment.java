package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Augmentation pipelines: {@link #compose} chains transforms, {@link #image} builds a pipeline for a
 * known image size (checking each step against it when it is added: a crop larger than the padded
 * image or a cutout larger than the image fails at once, not on a worker thread), and
 * {@link #standard} is the pipeline the experiments use on 28x28 grayscale images.
 *
 * <p>Every step draws only from the example's {@link Rng}, which the {@link dev.jumbo.data.DataLoader}
 * seeds from (seed, epoch, position): the same example at the same place of the same epoch gets
 * the same augmentation whatever the number of workers. Steps run on the loader's worker threads
 * and allocate nothing per image (a per-thread scratch buffer holds the copies they need).
 *
 * <pre>{@code
 * Transform aug = Augment.image(1, 28, 28)
 *         .randomCrop(4, PadMode.ZERO)      // shift by up to 4 pixels
 *         .hflip(0.5)
 *         .erasing(0.25)
 *         .build();
 * DataLoader train = DataLoader.builder(data).shuffle(true).seed(1).transform(aug).build();
 * Transform std = Augment.standard(28, 28);     // randomCrop(pad 2) + hflip(0.5)
 * }</pre>
 */
public final class Augment {
    private Augment() {}

    /** The transforms in order, as one transform (its {@code toString} lists the steps). */
    public static Transform compose(Transform... steps) {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == null) {
                throw new IllegalArgumentException("Augment.compose: step " + i + " is null: expected a transform");
            }
        }
        return new Pipeline(steps.clone());
    }

    /**
     * The standard augmentation for small grayscale images such as Fashion-MNIST: a random crop
     * of the image's size from the image zero-padded by 2 pixels, then a horizontal flip with
     * probability 0.5. Add {@code .erasing(p)} through {@link #image} for a stronger pipeline.
     */
    public static Transform standard(int height, int width) {
        return image(1, height, width).randomCrop(2, PadMode.ZERO).hflip(0.5).build();
    }

    /** The names {@link #named} knows. */
    public static final List<String> NAMES = List.of("none", "flip", "standard", "strong");

    /**
     * A pipeline by name, for command lines: {@code none} (the identity), {@code flip} (hflip 0.5
     * alone), {@code standard}
     * ({@link #standard}: crop with 2 pixels of zero padding + hflip 0.5) or {@code strong}
     * (standard + rotation up to 10 degrees + random erasing with p 0.5), for images of
     * {@code exampleShape} {@code [C,H,W]}.
     */
    public static Transform named(String name, int[] exampleShape) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("augment: pipeline '" + name + "': expected one of " + NAMES);
        }
        if (name.equals("none")) {
            return Transform.identity();
        }
        int[] g = Check.image("augment " + name, exampleShape);
        if (name.equals("flip")) {
            return image(g[0], g[1], g[2]).hflip(0.5).build();
        }
        Builder b = image(g[0], g[1], g[2]).randomCrop(2, PadMode.ZERO).hflip(0.5);
        return name.equals("standard") ? b.build() : b.rotation(10).erasing(0.5).build();
    }

    /**
     * The batch transform of {@code --mixup A} / {@code --cutmix A} options: mixup with alpha
     * {@code mixup} when it is positive, cutmix with alpha {@code cutmix} when it is positive, null
     * when both are 0; both positive is an error.
     */
    public static dev.jumbo.data.BatchTransform mixing(double mixup, double cutmix, int numClasses) {
        if (!(mixup >= 0) || !(cutmix >= 0) || (mixup > 0 && cutmix > 0)) {
            throw new IllegalArgumentException("augment: mixup " + mixup + " and cutmix " + cutmix
                    + ": expected values >= 0, at most one of them positive");
        }
        return mixup > 0 ? new MixUp(mixup, numClasses) : cutmix > 0 ? new CutMix(cutmix, numClasses) : null;
    }

    /** A pipeline builder for {@code channels x height x width} images. */
    public static Builder image(int channels, int height, int width) {
        return new Builder(channels, height, width);
    }

    /** A pipeline of steps applied in order. */
    private record Pipeline(Transform[] steps) implements Transform {
        @Override
        public void apply(float[] x, int off, int[] shape, Rng rng) {
            for (Transform t : steps) {
                t.apply(x, off, shape, rng);
            }
        }

        @Override
        public String toString() {
            return Arrays.stream(steps).map(String::valueOf).collect(Collectors.joining(" -> "));
        }
    }

    /** Adds steps checked against the image size; {@link #build()} returns the pipeline. */
    public static final class Builder {
        private final int channels;
        private final int height;
        private final int width;
        private final List<Transform> steps = new ArrayList<>();

        private Builder(int channels, int height, int width) {
            this.channels = Check.positive("Augment.image", "channels", channels);
            this.height = Check.positive("Augment.image", "height", height);
            this.width = Check.positive("Augment.image", "width", width);
        }

        /** A window of the image's size from the image padded by {@code padding} (a shift of up to that many pixels). */
        public Builder randomCrop(int padding, PadMode mode) {
            return randomCrop(height, width, padding, mode);
        }

        /** A {@code cropHeight x cropWidth} window of the padded image, resized back to the image size. */
        public Builder randomCrop(int cropHeight, int cropWidth, int padding, PadMode mode) {
            RandomCrop c = new RandomCrop(cropHeight, cropWidth, padding, mode);
            c.checkFits(height, width);
            if (mode == PadMode.REFLECT && (padding >= height || padding >= width)) {
                throw new IllegalArgumentException("randomCrop: padding " + padding + " with REFLECT on a " + height + "x"
                        + width + " image: expected less than " + Math.min(height, width));
            }
            return then(c);
        }

        public Builder hflip(double p) {
            return then(new HorizontalFlip(p));
        }

        /** Rotation uniform in {@code [-degrees, degrees]}, zero fill. */
        public Builder rotation(double degrees) {
            return then(RandomAffine.rotation(degrees, 0));
        }

        /** See {@link RandomAffine}. */
        public Builder affine(double degrees, double translate, double scaleMin, double scaleMax, double shear, double fill) {
            return then(new RandomAffine(degrees, translate, translate, scaleMin, scaleMax, shear, fill));
        }

        /** Random erasing with probability {@code p} and torchvision's defaults (area 2-33%, ratio 0.3-3.3, value 0). */
        public Builder erasing(double p) {
            return then(RandomErasing.erasing(p, 0.02, 0.33, 0.3, 3.3, 0));
        }

        /** A {@code size x size} zero hole with probability {@code p}. */
        public Builder cutout(double p, int size) {
            RandomErasing c = RandomErasing.cutout(p, size, 0);
            c.checkFits(height, width);
            return then(c);
        }

        public Builder noise(double std) {
            return then(new GaussianNoise(std, 1));
        }

        public Builder jitter(double brightness, double contrast) {
            return then(new ColorJitter(brightness, contrast));
        }

        /** Any other per-example transform. */
        public Builder then(Transform t) {
            if (t == null) {
                throw new IllegalArgumentException("Augment.image: step null: expected a transform");
            }
            steps.add(t);
            return this;
        }

        /** The pipeline; it checks each example has shape {@code [C,H,W]} of this builder. */
        public Transform build() {
            Transform p = compose(steps.toArray(Transform[]::new));
            int[] expected = {channels, height, width};
            return new Transform() {
                @Override
                public void apply(float[] x, int off, int[] shape, Rng rng) {
                    if (!Arrays.equals(shape, expected) && !(shape.length == 2 && channels == 1
                            && shape[0] == height && shape[1] == width)) {
                        throw new IllegalArgumentException("Augment: example shape " + Arrays.toString(shape)
                                + ": expected " + Arrays.toString(expected) + " (the pipeline's image size)");
                    }
                    p.apply(x, off, shape, rng);
                }

                @Override
                public String toString() {
                    return p.toString();
                }
            };
        }
    }
}
